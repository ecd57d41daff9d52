using AsyncFunctions.Executions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>Idempotency keys over Dapper, for every database; the SQL is the dialect's.</summary>
public sealed class DapperIdempotencyStore(SqlDialect dialect) : IIdempotencyStore
{
    public async Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotentStart start, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var parameters = new
        {
            start.CallerKey,
            start.Key,
            start.Function,
            start.RequestHash,
            At = dialect.ToDb(StoredTime.Precise(now)),
            ExpiredBefore = dialect.ToDb(StoredTime.Precise(expiredBefore)),
        };
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            // An expired key is dropped first, so the insert below may take it again.
            await connection.ExecuteAsync(new CommandDefinition(dialect.DropExpiredIdempotencyKeySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var inserted = await connection.ExecuteAsync(new CommandDefinition(dialect.InsertIdempotencyKeySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var stored = await connection.QuerySingleAsync<(string Function, string RequestHash, string? ExecutionId)>(new CommandDefinition(
                dialect.ReadIdempotencyKeySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new IdempotencyClaim(inserted > 0, stored.Function, stored.RequestHash, stored.ExecutionId);
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    public Task SetIdempotencyExecutionAsync(string callerKey, string key, string executionId, CancellationToken cancellationToken = default) =>
        dialect.WriteStatementAsync(dialect.SetIdempotencyExecutionSql, new { CallerKey = callerKey, Key = key, ExecutionId = executionId }, cancellationToken);

    public Task ReleaseIdempotencyKeyAsync(string callerKey, string key, CancellationToken cancellationToken = default) =>
        dialect.WriteStatementAsync(dialect.ReleaseIdempotencyKeySql, new { CallerKey = callerKey, Key = key }, cancellationToken);

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default) =>
        dialect.WriteStatementAsync(dialect.PurgeIdempotencyKeysSql, new { Before = dialect.ToDb(StoredTime.Precise(createdBefore)) }, cancellationToken);
}
