namespace AsyncFunctions.Running;

/// <summary>Limits of executions; bound from <c>AsyncFunctions:Execution</c>.</summary>
public sealed class ExecutionOptions
{
    public const string Section = "AsyncFunctions:Execution";

    /// <summary>How deep calls may nest, counting sync and async calls alike.</summary>
    public int MaxCallDepth { get; set; } = 32;

    /// <summary>
    /// How many async executions one tree of calls may start in all (the executions started by the
    /// root, by those, and so on): a stack that starts itself would otherwise multiply without end.
    /// A start beyond it fails the caller with <c>limit.tree_executions</c>.
    /// </summary>
    public int MaxTreeExecutions { get; set; } = 10_000;

    /// <summary>
    /// The timeout of an execution whose function declares none, so nothing holds a worker for a
    /// day; <c>execution.timeout</c> when it passes.
    /// </summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a sync run stays owned by its node without a renewal. The node renews its runs'
    /// leases every quarter of this; a run whose lease expired (its node stopped) is ended as
    /// <c>execution.lost</c> by any node.
    /// </summary>
    public TimeSpan SyncRunLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether an async function stack suspends at an await whose ids are not all finished and at
    /// a long sleep, giving its worker back (<c>Awaiting</c>) until it resumes. Off, such waits
    /// hold their worker as C# functions' waits do.
    /// </summary>
    public bool SuspendWaits { get; set; } = true;

    /// <summary>
    /// How often each node looks for suspended executions whose await deadline passed, or whose
    /// awaited executions all finished without a node noticing (its node stopped in between).
    /// </summary>
    public TimeSpan ResumeSweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether a start may name its own <c>queue</c> instead of its function's. Off by default: a
    /// caller who could pick a queue could put bulk work on the queue whose workers are kept for
    /// urgent work.
    /// </summary>
    public bool AllowQueueOverride { get; set; }
}
