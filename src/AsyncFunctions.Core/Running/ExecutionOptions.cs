namespace AsyncFunctions.Running;

/// <summary>Limits of executions; bound from <c>AsyncFunctions:Execution</c>.</summary>
public sealed class ExecutionOptions
{
    public const string Section = "AsyncFunctions:Execution";

    /// <summary>How deep calls may nest, counting sync and async calls alike.</summary>
    public int MaxCallDepth { get; set; } = 32;

    /// <summary>
    /// How long a sync run stays owned by its node without a renewal. The node renews its runs'
    /// leases every quarter of this; a run whose lease expired (its node stopped) is ended as
    /// <c>execution.lost</c> by any node.
    /// </summary>
    public TimeSpan SyncRunLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Workers of this node; set by the host from <c>AsyncFunctions:Server:WorkerCount</c> and
    /// used to tell a starved await from a plain timeout.
    /// </summary>
    public int WorkerCount { get; set; }
}
