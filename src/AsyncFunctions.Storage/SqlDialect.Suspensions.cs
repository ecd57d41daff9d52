using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>The statements of suspensions and their waits (<see cref="DapperSuspensionStore"/>).</summary>
public abstract partial class SqlDialect
{
    /// <summary>Drops the waits of a waiter (parameters: Id).</summary>
    public virtual string DropWaitsSql => "DELETE FROM af_execution_waits WHERE waiter_id = @Id";

    /// <summary>Records that a waiter waits for an execution (parameters: Id, Awaited).</summary>
    public virtual string AddWaitSql => "INSERT INTO af_execution_waits (waiter_id, awaited_id) VALUES (@Id, @Awaited)";

    /// <summary>Saves a suspension on its row (parameters: Id, Checkpoint, WaitingFor, At, WakeAt).</summary>
    public virtual string SaveSuspensionSql =>
        "UPDATE af_executions SET saved_state = @Checkpoint, waiting_for = @WaitingFor, awaiting_since = @At, wake_at = @WakeAt WHERE id = @Id";

    /// <summary>The checkpoint a resumed execution continues from (parameters: Id).</summary>
    public virtual string LoadCheckpointSql => "SELECT saved_state FROM af_executions WHERE id = @Id";

    /// <summary>
    /// Unfinished executions waiting for any of the list parameter @Ids whose every awaited
    /// execution is finished (parameters: Ids). Not only those already Awaiting: a waiter whose
    /// suspension is being committed right now is resumed as soon as the commit releases its job.
    /// </summary>
    public virtual string ReadyWaitersSql => Statement(() => $"""
        SELECT DISTINCT w.waiter_id FROM af_execution_waits w JOIN af_executions p ON p.id = w.waiter_id
        WHERE {InList("w.awaited_id", "@Ids")} AND p.phase < {ExecutionStatusRules.FinishedPhase}
          AND {NothingLeftToAwait("w.waiter_id")}
        """);

    /// <summary>
    /// Suspended awaits that are due: deadline before @Now, or nothing left unfinished (parameters:
    /// Now, Limit). A sleep has no waits and is left to its job's scheduled state.
    /// </summary>
    public virtual string DueSuspensionsSql => Statement(() => Page($"""
        SELECT p.id FROM af_executions p
        WHERE p.status = '{AwaitingStatus}'
          AND EXISTS (SELECT 1 FROM af_execution_waits a WHERE a.waiter_id = p.id)
          AND (p.wake_at <= @Now
               OR {NothingLeftToAwait("p.id")})
        ORDER BY p.wake_at
        """));
}
