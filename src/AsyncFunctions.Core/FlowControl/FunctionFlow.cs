namespace AsyncFunctions.FlowControl;

/// <summary>
/// How a function's executions are shaped when they start: the queue that carries them, the
/// concurrency limits that admit them, the rate limit that spaces them and the debounce that
/// folds them. Declared on the function (stack document fields or a C# registration) and
/// evaluated per start.
/// </summary>
public sealed record FunctionFlow
{
    /// <summary>The queue a function uses when it names none.</summary>
    public const string DefaultQueue = "default";

    /// <summary>No limits, the default queue.</summary>
    public static readonly FunctionFlow None = new();

    /// <summary>The Hangfire queue that carries the function's executions.</summary>
    public string Queue { get; init; } = DefaultQueue;

    /// <summary>Every limit that applies; an execution runs only when it holds a slot of each.</summary>
    public IReadOnlyList<ConcurrencyLimit> Concurrency { get; init; } = [];

    public RateLimit? RateLimit { get; init; }

    public DebounceRule? Debounce { get; init; }

    /// <summary>Whether a suspended (awaiting) execution keeps its concurrency slots.</summary>
    public bool HoldWhileAwaiting { get; init; }

    /// <summary>Whether admission has anything to do for this function.</summary>
    public bool IsLimited => Concurrency.Count > 0 || RateLimit is not null;
}
