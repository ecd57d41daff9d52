namespace AsyncFunctions.Executions;

/// <summary>The upkeep of the results table: leases of sync runs, start-up recovery and the purge of old executions.</summary>
public interface IExecutionMaintenanceStore
{
    /// <summary>
    /// Ends every execution that is not terminal with <paramref name="error"/>. Used at start-up
    /// when the job store does not survive a restart. Returns how many rows it ended.
    /// </summary>
    Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Moves the lease of the given unfinished executions (sync runs in flight on this node) to <paramref name="expiresAt"/>.</summary>
    Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Unfinished executions whose lease expired before <paramref name="now"/>: the node running them stopped.</summary>
    Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> finished executions completed before
    /// <paramref name="completedBefore"/>, oldest first, with their logs, waits and callbacks. Returns how
    /// many it deleted; call again until it returns less than <paramref name="limit"/>.
    /// </summary>
    Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken = default);
}
