namespace AsyncFunctions.Executions;

/// <summary>
/// The monotonic rule every results store applies. Status writes come from Hangfire state filters
/// in several processes and may repeat or arrive late, so a write is applied only when it is newer
/// than what the row holds: a later time wins, and at the same time the later phase
/// (pending, then running, then finished) wins. A late <c>Enqueued</c> can therefore never
/// overwrite <c>Succeeded</c>, while a genuine requeue from the dashboard (a newer time) can.
/// </summary>
public static class ExecutionStatusRules
{
    public static bool IsTerminal(this ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled;

    /// <summary>1 pending, 2 running, 3 finished.</summary>
    public static int Phase(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Enqueued or ExecutionStatus.Scheduled => 1,
        ExecutionStatus.Processing => 2,
        _ => 3,
    };

    /// <summary>Whether a write of (<paramref name="newStatus"/>, <paramref name="newAt"/>) replaces the stored status.</summary>
    public static bool Supersedes(ExecutionStatus newStatus, DateTimeOffset newAt, ExecutionStatus current, DateTimeOffset currentAt) =>
        newAt > currentAt || (newAt == currentAt && newStatus.Phase() > current.Phase());
}
