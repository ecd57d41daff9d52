using System.ComponentModel;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Contracts;

[Description("A function stack document. Its name, when given, must be the name in the path. Any other top-level field is refused with 400.")]
public sealed record FunctionDocument
{
    [Description("The function's name; the name in the path when absent.")]
    public string? Name { get; init; }

    public string? Description { get; init; }

    [Description("The declared inputs: name, type (any, text, int, decimal, bool, timestamp, object, array), required, nullable, default and constraints.")]
    public JsonArray? Inputs { get; init; }

    [Description("How failures are retried, for example {\"maxRetries\": 2, \"delaySeconds\": [5, 30]}.")]
    public JsonObject? Retry { get; init; }

    [Description("How long one run may take at most (more than 0, at most 604800).")]
    public double? TimeoutSeconds { get; init; }

    [Description("The queue that carries the function's executions (lower-case letters, digits, '_' or '-'); \"default\" when absent.")]
    public string? Queue { get; init; }

    [Description("Folds starts made within periodSeconds of each other (per value of the optional key, an expression over $input and $auth) into one pending execution that runs with the latest input once periodSeconds pass without another start, for example {\"periodSeconds\": 5, \"key\": \"=$input.customerId\"}.")]
    public JsonObject? Debounce { get; init; }

    [Description("Concurrency limits: an execution runs only while it holds a slot of every limit, and otherwise waits (status Waiting) without a worker. The server also accepts a single limit object instead of the array.")]
    public IReadOnlyList<ConcurrencyLimitDocument>? Concurrency { get; init; }

    [Description("True: a suspended (Awaiting) execution keeps its concurrency slots. False (the default): it gives them back and its resume is admitted again. Needs concurrency.")]
    public bool? HoldWhileAwaiting { get; init; }

    [Description("At most limit executions are admitted per periodSeconds (per value of the optional key); the rest are delayed (status Scheduled) to the next free window, in arrival order, for example {\"limit\": 10, \"periodSeconds\": 60, \"key\": \"=$auth.key\"}.")]
    public RateLimitDocument? RateLimit { get; init; }

    [Description("The steps, in order.")]
    public required JsonArray Stack { get; init; }

    [Description("The function's output: a template such as \"=steps.last.output\".")]
    public JsonNode? Response { get; init; }
}
