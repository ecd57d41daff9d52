using System.Text.Json;
using AsyncFunctions.Executions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>Suspensions and their waits over Dapper, for every database; the SQL is the dialect's.</summary>
public sealed class DapperSuspensionStore(SqlDialect dialect) : ISuspensionStore
{
    public async Task SuspendAsync(string id, Suspension suspension, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suspension);
        var row = new
        {
            Id = id,
            suspension.Checkpoint,
            WaitingFor = JsonSerializer.Serialize(suspension.WaitingFor),
            At = dialect.ToDb(StoredTime.Precise(at)),
            WakeAt = dialect.ToDb(StoredTime.Precise(suspension.WakeAt)),
        };
        var waits = suspension.WaitingFor.Distinct(StringComparer.Ordinal).Select(awaited => new { Id = id, Awaited = awaited }).ToList();
        await dialect.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(dialect.DropWaitsSql, new { Id = id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (waits.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(dialect.AddWaitSql, waits, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            return await connection.ExecuteAsync(new CommandDefinition(dialect.SaveSuspensionSql, row, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> LoadCheckpointAsync(string id, CancellationToken cancellationToken = default)
    {
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(dialect.DropWaitsSql, new { Id = id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                dialect.LoadCheckpointSql, new { Id = id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListReadyWaitersAsync(IReadOnlyCollection<string> finishedIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finishedIds);
        var ready = new List<string>();
        if (finishedIds.Count == 0)
        {
            return ready;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in finishedIds.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters))
        {
            ready.AddRange(await connection.QueryAsync<string>(new CommandDefinition(dialect.ReadyWaitersSql, new { Ids = chunk }, cancellationToken: cancellationToken)).ConfigureAwait(false));
        }

        return ready.Distinct(StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> ListDueSuspensionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var due = await connection.QueryAsync<string>(new CommandDefinition(
            dialect.DueSuspensionsSql, new { Now = dialect.ToDb(StoredTime.Precise(now)), Limit = limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return due.ToList();
    }
}
