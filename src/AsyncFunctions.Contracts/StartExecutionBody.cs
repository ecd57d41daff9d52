using System.ComponentModel;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Contracts;

[Description("Starts an execution. Every field is optional; an empty body is {}. Any other field is refused with 400.")]
public sealed record StartExecutionBody
{
    [Description("The function's input: a JSON object checked against its declared inputs.")]
    public JsonObject? Input { get; init; }

    [Description("\"async\" (the default): queue it and answer 202 at once. To run it inside the request, use runFunction.")]
    public StartMode? Mode { get; init; }

    [Description("Start at this RFC 3339 timestamp (with an offset) instead of now; at most 365 days ahead; a time in the past starts now. Not with delaySeconds.")]
    public DateTimeOffset? RunAt { get; init; }

    [Description("Start this many seconds from now (0 to 31536000). Not with runAt.")]
    public double? DelaySeconds { get; init; }

    [Description("An absolute http(s) URL to POST the signed result to when the execution finishes (a webhook); overrides the function's own. Async starts only; needs AsyncFunctions:Webhooks:Secret.")]
    public Uri? CallbackUrl { get; init; }

    [Description("The queue to carry this execution instead of its function's (lower-case letters, digits, '_' or '-'). Refused with 400 unless the server sets AsyncFunctions:Execution:AllowQueueOverride. Async starts only.")]
    public string? Queue { get; init; }
}
