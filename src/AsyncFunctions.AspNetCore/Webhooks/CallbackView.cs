using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Webhooks;

namespace AsyncFunctions.AspNetCore.Webhooks;

/// <summary>Adds the callback and its deliveries to an execution's document, when it has one.</summary>
public static class CallbackView
{
    public static async Task AddToAsync(JsonObject document, HttpRequest request, string id, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(request);
        var callbacks = request.HttpContext.RequestServices.GetRequiredService<ICallbackStore>();
        if (await callbacks.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } callback)
        {
            document["callback"] = JsonSerializer.SerializeToNode(callback, json);
        }
    }
}
