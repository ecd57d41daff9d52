namespace AsyncFunctions.Storage;

/// <summary>
/// The statements of callbacks and their deliveries (<see cref="DapperCallbackStore"/>). The
/// inserts use <c>INSERT ... SELECT ... WHERE NOT EXISTS</c>, which all three databases read
/// alike, so a repeated write changes nothing.
/// </summary>
public abstract partial class SqlDialect
{
    /// <summary>Saves an execution's callback unless it has one (parameters: ExecutionId, Url, State).</summary>
    public virtual string SaveCallbackSql => """
        INSERT INTO af_webhooks (execution_id, url, state)
        SELECT @ExecutionId, @Url, @State
        WHERE NOT EXISTS (SELECT 1 FROM af_webhooks WHERE execution_id = @ExecutionId)
        """;

    /// <summary>
    /// Records one delivery attempt unless recorded already (parameters: ExecutionId, MessageId,
    /// Attempt, At, Status, Error, DurationMs).
    /// </summary>
    public virtual string InsertCallbackDeliverySql => """
        INSERT INTO af_webhook_deliveries (execution_id, message_id, attempt, at, status_code, error, duration_ms)
        SELECT @ExecutionId, @MessageId, @Attempt, @At, @Status, @Error, @DurationMs
        WHERE NOT EXISTS (SELECT 1 FROM af_webhook_deliveries WHERE execution_id = @ExecutionId AND message_id = @MessageId AND attempt = @Attempt)
        """;

    /// <summary>Moves a callback's state (parameters: ExecutionId, State, MessageId).</summary>
    public virtual string UpdateCallbackStateSql => "UPDATE af_webhooks SET state = @State, message_id = @MessageId WHERE execution_id = @ExecutionId";

    /// <summary>An execution's callback (parameters: ExecutionId).</summary>
    public virtual string GetCallbackSql => "SELECT url, state, message_id FROM af_webhooks WHERE execution_id = @ExecutionId";

    /// <summary>An execution's callback deliveries in order (parameters: ExecutionId).</summary>
    public virtual string ListCallbackDeliveriesSql =>
        "SELECT message_id, attempt, at, status_code, error, duration_ms FROM af_webhook_deliveries WHERE execution_id = @ExecutionId ORDER BY at, attempt";
}
