using AsyncFunctions.Executions;

namespace AsyncFunctions.Nodes;

/// <summary>
/// The nodes table of a shared results database: each node's heartbeat, and the claim by which
/// exactly one survivor takes a silent node's work over.
/// </summary>
public interface INodeHeartbeatStore
{
    /// <summary>
    /// Counts one more heartbeat of <paramref name="nodeId"/> at <paramref name="at"/>, creating its
    /// row on the first beat; returns the new count and the last takeover's claim.
    /// </summary>
    Task<NodeBeat> BeatAsync(string nodeId, string? serverId, DateTimeOffset startedAt, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Every node's row.</summary>
    Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the takeover of <paramref name="nodeId"/> if its beat count is still
    /// <paramref name="observedBeats"/> and nobody claimed that count yet: true for exactly one
    /// caller among the survivors, and for none once the node beat again.
    /// </summary>
    Task<bool> ClaimTakeoverAsync(string nodeId, long observedBeats, string claimedBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records how many executions the claimed takeover of <paramref name="nodeId"/> requeued or ended.</summary>
    Task RecordTakenOverAsync(string nodeId, int executions, CancellationToken cancellationToken = default);

    /// <summary>Marks the given unfinished sync runs as running on <paramref name="nodeId"/>.</summary>
    Task MarkSyncRunsAsync(string nodeId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>The unfinished sync runs marked as running on <paramref name="nodeId"/>.</summary>
    Task<IReadOnlyList<LeasedExecution>> ListSyncRunsAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the rows of nodes silent since before <paramref name="heartbeatBefore"/>; returns how many.</summary>
    Task<int> ForgetAsync(DateTimeOffset heartbeatBefore, CancellationToken cancellationToken = default);
}
