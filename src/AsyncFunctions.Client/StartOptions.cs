namespace AsyncFunctions.Client;

/// <summary>How an execution is started: now or later, once however often it is sent, with a webhook.</summary>
public sealed record StartOptions
{
    /// <summary>
    /// Makes the start safe to repeat: the same key and request answer the execution the first start
    /// queued instead of starting another (1 to 200 printable ASCII characters, scoped to the API key).
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Start at this time instead of now (at most 365 days ahead).</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Start after this delay instead of now; not with <see cref="RunAt"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>An absolute http(s) URL the signed result is POSTed to when the execution finishes.</summary>
    public Uri? CallbackUrl { get; init; }

    /// <summary>The queue to carry the execution instead of its function's; the server must allow it (<c>AsyncFunctions:Execution:AllowQueueOverride</c>).</summary>
    public string? Queue { get; init; }
}
