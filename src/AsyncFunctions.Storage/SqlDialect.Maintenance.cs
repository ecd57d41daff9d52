using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>The statements of leases, start-up recovery and the purge (<see cref="DapperExecutionMaintenanceStore"/>).</summary>
public abstract partial class SqlDialect
{
    /// <summary>
    /// Ends every unfinished execution with an error (parameters: Status, Finished, At, Type,
    /// Message, Code).
    /// </summary>
    public virtual string FailUnfinishedSql =>
        "UPDATE af_executions SET status = @Status, phase = @Finished, status_at = @At, completed_at = @At, " +
        "error_type = @Type, error_message = @Message, error_code = @Code, error_data = NULL, saved_state = NULL WHERE phase < @Finished";

    /// <summary>Moves the lease of the unfinished ids of the list parameter @Ids (parameters: Until, Ids).</summary>
    public virtual string RenewLeasesSql => Statement(() =>
        $"UPDATE af_executions SET lease_expires_at = @Until WHERE phase < {ExecutionStatusRules.FinishedPhase} AND {InList("id", "@Ids")}");

    /// <summary>Unfinished executions whose lease expired before @Now (parameters: Now).</summary>
    public virtual string ExpiredLeasesSql =>
        $"SELECT id, function_name FROM af_executions WHERE phase < {ExecutionStatusRules.FinishedPhase} AND lease_expires_at < @Now";

    /// <summary>The oldest finished executions completed before @Before (parameters: Before, Limit).</summary>
    public virtual string PurgeCandidatesSql => Statement(() =>
        Page($"SELECT id FROM af_executions WHERE phase = {ExecutionStatusRules.FinishedPhase} AND completed_at < @Before ORDER BY completed_at"));

    /// <summary>
    /// Deletes the finished executions of the list parameter @Ids with everything that belongs to
    /// them, run in this order in one transaction; the last statement's count is the number purged.
    /// A table that belongs to an execution adds its statement before the last.
    /// </summary>
    public virtual IReadOnlyList<string> PurgeFinishedSql => Statements(() =>
    [
        $"DELETE FROM af_execution_logs WHERE {InList("execution_id", "@Ids")}",
        $"DELETE FROM af_execution_waits WHERE {InList("waiter_id", "@Ids")}",
        $"DELETE FROM af_webhook_deliveries WHERE {InList("execution_id", "@Ids")}",
        $"DELETE FROM af_webhooks WHERE {InList("execution_id", "@Ids")}",
        $"DELETE FROM af_executions WHERE phase = {ExecutionStatusRules.FinishedPhase} AND {InList("id", "@Ids")}",
    ]);
}
