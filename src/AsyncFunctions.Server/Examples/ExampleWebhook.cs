using System.Text.Json.Nodes;
using AsyncFunctions.AspNetCore.Http;

namespace AsyncFunctions.Server.Examples;

/// <summary>
/// A stand-in notification webhook for the examples (<c>examples.notify_one</c> posts to it), so the
/// notification fan-out can be tried without an outside service. It accepts every notification
/// except those to a recipient starting with "bounce", which it refuses with 503.
/// </summary>
public static class ExampleWebhook
{
    public const string Path = "/examples/webhook";

    public static IEndpointRouteBuilder MapExampleWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpRequest request, CancellationToken cancellationToken) =>
        {
            var notification = await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
            var to = notification["to"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
            if (to.StartsWith("bounce", StringComparison.OrdinalIgnoreCase))
            {
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Mailbox unavailable", detail: $"'{to}' cannot receive notifications.");
            }

            return Results.Ok(new { delivered = true, to });
        }).WithTags("Examples").ExcludeFromDescription().AllowAnonymous(); // a stand-in for another service: no key
        return app;
    }
}
