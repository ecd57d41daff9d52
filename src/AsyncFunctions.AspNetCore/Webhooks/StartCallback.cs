using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.Hangfire.Webhooks;
using AsyncFunctions.Webhooks;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Webhooks;

/// <summary>The <c>callbackUrl</c> of a start body, refused at once when it could never be delivered.</summary>
public static class StartCallback
{
    public const string Field = "callbackUrl";

    /// <returns>The URL, or null when the body names none.</returns>
    public static async Task<string?> ReadAsync(HttpRequest request, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var node = body[Field];
        if (node is null)
        {
            return null;
        }

        var url = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (CallbackUrl.Problem(url) is { } problem)
        {
            throw ApiProblemException.BadField(Field, problem);
        }

        var services = request.HttpContext.RequestServices;
        if (!services.GetRequiredService<IOptions<WebhookOptions>>().Value.HasSecret)
        {
            throw new CallbacksNotConfiguredException(request.RouteValues["name"] as string ?? "");
        }

        // The guard judges the address again at each delivery; refusing now spares a start whose result could never arrive.
        var stacks = services.GetRequiredService<IOptions<FunctionStacksOptions>>().Value;
        if (await GuardedHandler.RefusalAsync(stacks, new Uri(url!), cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            throw ApiProblemException.BadField(Field, refusal);
        }

        return url;
    }
}
