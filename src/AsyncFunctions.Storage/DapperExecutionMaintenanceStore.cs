using AsyncFunctions.Executions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>Leases, start-up recovery and the purge over Dapper, for every database; the SQL is the dialect's.</summary>
public sealed class DapperExecutionMaintenanceStore(SqlDialect dialect) : IExecutionMaintenanceStore
{
    public Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parameters = new
        {
            Status = nameof(ExecutionStatus.Failed),
            Finished = ExecutionStatusRules.FinishedPhase,
            At = dialect.ToDb(StoredTime.Precise(at)),
            error.Type,
            error.Message,
            error.Code,
        };
        return dialect.WriteStatementAsync(dialect.FailUnfinishedSql, parameters, cancellationToken);
    }

    public async Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var until = dialect.ToDb(StoredTime.Precise(expiresAt));
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters - 1))
        {
            await dialect.WriteStatementAsync(dialect.RenewLeasesSql, new { Until = until, Ids = chunk }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Function)>(new CommandDefinition(
            dialect.ExpiredLeasesSql, new { Now = dialect.ToDb(StoredTime.Precise(now)) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new LeasedExecution(r.Id, r.Function)).ToList();
    }

    public async Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken = default)
    {
        var parameters = new { Before = dialect.ToDb(StoredTime.Precise(completedBefore)), Limit = Math.Clamp(limit, 1, dialect.MaxParameters - 1) };
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            var ids = (await connection.QueryAsync<string>(new CommandDefinition(
                dialect.PurgeCandidatesSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToArray();
            if (ids.Length == 0)
            {
                return 0;
            }

            // Everything that belongs to the executions goes with them, in the same transaction.
            var purged = 0;
            foreach (var sql in dialect.PurgeFinishedSql)
            {
                purged = await connection.ExecuteAsync(new CommandDefinition(sql, new { Ids = ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            return purged;
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }
}
