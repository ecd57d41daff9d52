namespace AsyncFunctions.Executions;

/// <summary>
/// The monotonic rule every results store applies. Status writes come from Hangfire state filters
/// in several processes, each stamped with its own node's clock, and may repeat or arrive late.
/// <list type="bullet">
/// <item>Moving forward (pending, then running, then finished) is always applied while the
/// execution is unfinished, whatever the clocks say: a worker whose clock is behind the API
/// node's still records Processing and Succeeded.</item>
/// <item>Moving back to pending or running (a retry, a requeue from the dashboard, a job run
/// again after its worker died) needs a newer time than the stored status, so a late or
/// repeated <c>Enqueued</c> never overwrites <c>Succeeded</c> or <c>Processing</c>.</item>
/// <item>A finished status is final until such a requeue: a late result, a second verdict or a
/// delete from the dashboard does not replace it.</item>
/// </list>
/// The SQL stores apply the same rule in the WHERE clause of their status upsert, over the stored
/// <see cref="Phase"/> column (its SQL twin lives with the dialects in the storage project); the
/// storage contract tests check every dialect against <see cref="Supersedes"/>, write by write.
/// </summary>
public static class ExecutionStatusRules
{
    public static bool IsTerminal(this ExecutionStatus status) =>
        status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled;

    public const int PendingPhase = 1;
    public const int RunningPhase = 2;
    public const int FinishedPhase = 3;

    /// <summary>
    /// 1 pending, 2 running, 3 finished: the rule compares phases, and the stores keep the phase
    /// beside the status. A suspended execution (<see cref="ExecutionStatus.Awaiting"/>) has
    /// started and not finished: it is running, so a late <c>Processing</c> of the attempt that
    /// suspended (older) cannot replace it, while its resume (<c>Enqueued</c>, newer) does.
    /// </summary>
    public static int Phase(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Enqueued or ExecutionStatus.Scheduled or ExecutionStatus.Waiting => PendingPhase,
        ExecutionStatus.Processing or ExecutionStatus.Awaiting => RunningPhase,
        _ => FinishedPhase,
    };

    /// <summary>Whether a write of (<paramref name="newStatus"/>, <paramref name="newAt"/>) replaces the stored status.</summary>
    public static bool Supersedes(ExecutionStatus newStatus, DateTimeOffset newAt, ExecutionStatus current, DateTimeOffset currentAt) =>
        SupersedesPhase(newStatus.Phase(), newAt, current.Phase(), currentAt);

    private static bool SupersedesPhase(int newPhase, DateTimeOffset newAt, int currentPhase, DateTimeOffset currentAt) =>
        (newPhase > currentPhase && currentPhase < FinishedPhase) || (newPhase < FinishedPhase && newAt > currentAt);
}
