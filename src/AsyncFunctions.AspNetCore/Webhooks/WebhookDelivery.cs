using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.Hangfire.Webhooks;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Webhooks;

/// <summary>
/// Deliveries go out through the request steps' guarded handler: the same address policy and
/// allow-list (<c>AsyncFunctions:Stacks:AllowedHosts</c>, <c>AllowedNetworks</c>), no redirects,
/// no proxy, no cookies.
/// </summary>
public static class WebhookDelivery
{
    public static IServiceCollection AddWebhookDelivery(this IServiceCollection services)
    {
        services.AddSingleton(sp => new WebhookClient(
            new HttpClient(GuardedHandler.Create(sp.GetRequiredService<IOptions<FunctionStacksOptions>>().Value)) { Timeout = Timeout.InfiniteTimeSpan },
            GuardedHandler.RefusalOf));
        return services;
    }
}
