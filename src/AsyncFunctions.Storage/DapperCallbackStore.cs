using AsyncFunctions.Webhooks;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>
/// The callbacks and their deliveries over Dapper, for every database. The inserts use
/// <c>INSERT ... SELECT ... WHERE NOT EXISTS</c>, which all three databases read alike, so a
/// repeated write changes nothing.
/// </summary>
public sealed class DapperCallbackStore(SqlDialect dialect) : ICallbackStore
{
    private const string SaveSql = """
        INSERT INTO af_webhooks (execution_id, url, state)
        SELECT @ExecutionId, @Url, @State
        WHERE NOT EXISTS (SELECT 1 FROM af_webhooks WHERE execution_id = @ExecutionId)
        """;

    private const string InsertDeliverySql = """
        INSERT INTO af_webhook_deliveries (execution_id, message_id, attempt, at, status_code, error, duration_ms)
        SELECT @ExecutionId, @MessageId, @Attempt, @At, @Status, @Error, @DurationMs
        WHERE NOT EXISTS (SELECT 1 FROM af_webhook_deliveries WHERE execution_id = @ExecutionId AND message_id = @MessageId AND attempt = @Attempt)
        """;

    private const string UpdateStateSql = "UPDATE af_webhooks SET state = @State, message_id = @MessageId WHERE execution_id = @ExecutionId";

    public Task SaveAsync(string executionId, string url, CancellationToken cancellationToken = default)
    {
        var parameters = new { ExecutionId = executionId, Url = url, State = nameof(CallbackState.Pending) };
        return dialect.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(SaveSql, parameters, transaction, cancellationToken: cancellationToken)),
            transactional: false,
            cancellationToken);
    }

    public async Task<ExecutionCallback?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<(string Url, string State, string? MessageId)>(new CommandDefinition(
            "SELECT url, state, message_id FROM af_webhooks WHERE execution_id = @executionId", new { executionId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row.Url is null)
        {
            return null;
        }

        var deliveries = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            "SELECT message_id, attempt, at, status_code, error, duration_ms FROM af_webhook_deliveries WHERE execution_id = @executionId ORDER BY at, attempt",
            new { executionId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new ExecutionCallback(
            row.Url,
            Enum.Parse<CallbackState>(row.State),
            [.. deliveries.Select(d => new CallbackDelivery(d.Message_Id, d.Attempt, dialect.FromDb(d.At), d.Status_Code, d.Error, d.Duration_Ms))])
        {
            MessageId = row.MessageId,
        };
    }

    public Task RecordAsync(string executionId, CallbackDelivery delivery, CallbackState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var parameters = new
        {
            ExecutionId = executionId,
            delivery.MessageId,
            delivery.Attempt,
            At = dialect.ToDb(delivery.At),
            delivery.Status,
            delivery.Error,
            delivery.DurationMs,
            State = state.ToString(),
        };
        return dialect.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(InsertDeliverySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return await connection.ExecuteAsync(new CommandDefinition(UpdateStateSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            },
            transactional: true,
            cancellationToken);
    }

    /// <summary>A delivery row as Dapper reads it; the timestamp stays raw until the dialect converts it.</summary>
    private sealed class DeliveryRow
    {
        public string Message_Id { get; set; } = "";

        public int Attempt { get; set; }

        public object At { get; set; } = null!;

        public int? Status_Code { get; set; }

        public string? Error { get; set; }

        public long Duration_Ms { get; set; }
    }
}
