using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>A request to run a function.</summary>
/// <param name="ParentId">The execution that asked for this one, if any.</param>
/// <param name="CallDepth">0 for a call from outside; each nested call adds one.</param>
/// <param name="RootId">The execution that began the caller's tree of calls; null for a call from outside.</param>
public sealed record StartRequest(string Function, JsonNode? Input, string? ParentId = null, int CallDepth = 0, string? RootId = null)
{
    /// <summary>Who started the tree of calls; a child's request carries its parent's caller.</summary>
    public ExecutionCaller? Caller { get; init; }

    /// <summary>
    /// When an async execution should start (a delayed start): until then it is
    /// <see cref="ExecutionStatus.Scheduled"/>. Null, or a time not in the future, queues it now.
    /// </summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>The version of a function stack to run (a retry runs the version it retries); null runs the current one.</summary>
    public int? FunctionVersion { get; init; }

    /// <summary>Where to post the result when the execution finishes; wins over the function's own callback URL.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The schedule whose occurrence this start is (a manual trigger or a catch-up run); recorded on the execution.</summary>
    public string? Schedule { get; init; }

    /// <summary>The occurrence's time, recorded with <see cref="Schedule"/>.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }

    /// <summary>
    /// The queue to carry this execution instead of its function's; allowed only when
    /// <c>AsyncFunctions:Execution:AllowQueueOverride</c> is on. Null uses the function's queue.
    /// </summary>
    public string? Queue { get; init; }

    /// <summary>
    /// Set by the execution service on the start that creates a debounced function's pending
    /// execution: the value of its debounce key, which the job keeps so the run can end folding.
    /// </summary>
    public string? DebounceKey { get; init; }
}
