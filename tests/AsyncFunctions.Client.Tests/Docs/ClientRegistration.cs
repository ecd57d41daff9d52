using AsyncFunctions.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MyApp;

public static class ClientRegistration
{
    /// <summary>In Program.cs: <c>builder.Services.AddAsyncFunctions(builder.Configuration);</c></summary>
    public static IServiceCollection AddAsyncFunctions(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddAsyncFunctionsClient(o =>
        {
            o.BaseAddress = new Uri(configuration["AsyncFunctions:Url"] ?? "http://localhost:5080");
            o.ApiKey = configuration["AsyncFunctions:ApiKey"];
            o.MaxRateLimitRetries = 3; // a 429 is sent again after its Retry-After, at most 3 times
        });
        return services;
    }
}
