using AsyncFunctions.Webhooks;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>The callbacks and their deliveries over Dapper, for every database; the SQL is the dialect's.</summary>
public sealed class DapperCallbackStore(SqlDialect dialect) : ICallbackStore
{
    public Task SaveAsync(string executionId, string url, CancellationToken cancellationToken = default)
    {
        var parameters = new { ExecutionId = executionId, Url = url, State = nameof(CallbackState.Pending) };
        return dialect.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(dialect.SaveCallbackSql, parameters, transaction, cancellationToken: cancellationToken)),
            transactional: false,
            cancellationToken);
    }

    public async Task<ExecutionCallback?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<(string Url, string State, string? MessageId)>(new CommandDefinition(
            dialect.GetCallbackSql, new { ExecutionId = executionId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (row.Url is null)
        {
            return null;
        }

        var deliveries = await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            dialect.ListCallbackDeliveriesSql,
            new { ExecutionId = executionId },
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
                await connection.ExecuteAsync(new CommandDefinition(dialect.InsertCallbackDeliverySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return await connection.ExecuteAsync(new CommandDefinition(dialect.UpdateCallbackStateSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
