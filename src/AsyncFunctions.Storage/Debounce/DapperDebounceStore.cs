using System.Text.Json.Nodes;
using AsyncFunctions.FlowControl;
using Dapper;

namespace AsyncFunctions.Storage.Debounce;

/// <summary>
/// The debounce table (<c>af_debounces</c>, db/*/0014_queues_and_debounce.sql) over Dapper; the
/// statements are the dialect's (see <c>SqlDialect.Debounce.cs</c>).
/// </summary>
public sealed class DapperDebounceStore(SqlDialect dialect) : IDebounceStore
{
    public Task<string?> TryFoldAsync(string function, string key, JsonObject input, DateTimeOffset runAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var parameters = new { Function = function, Key = key, RunAt = dialect.ToDb(StoredTime.Precise(runAt)) };
        var json = input.ToJsonString();
        // One transaction: the row stays locked from the move of its run to the input's write, so
        // the claim of the run waits and then sees both.
        return dialect.WriteAsync(
            async (connection, transaction) =>
            {
                if (await connection.ExecuteAsync(new CommandDefinition(dialect.DebounceFoldSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) == 0)
                {
                    return null;
                }

                var id = await connection.QuerySingleAsync<string>(new CommandDefinition(dialect.DebouncePendingIdSql, new { Function = function, Key = key }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(dialect.DebounceInputSql, new { Id = id, Input = json }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return id;
            },
            transactional: true,
            cancellationToken);
    }

    public async Task<bool> TryReserveAsync(string function, string key, DateTimeOffset runAt, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken = default)
    {
        var parameters = new
        {
            Function = function,
            Key = key,
            RunAt = dialect.ToDb(StoredTime.Precise(runAt)),
            Now = dialect.ToDb(StoredTime.Precise(now)),
            StaleBefore = dialect.ToDb(StoredTime.Precise(staleBefore)),
        };
        return await dialect.WriteRowAsync(dialect.DebounceReserveSql, parameters, cancellationToken).ConfigureAwait(false)
            || await dialect.WriteRowAsync(dialect.DebounceTakeOverSql, parameters, cancellationToken).ConfigureAwait(false);
    }

    public Task AttachAsync(string function, string key, string executionId, CancellationToken cancellationToken = default) =>
        dialect.WriteRowAsync(dialect.DebounceAttachSql, new { Function = function, Key = key, Id = executionId }, cancellationToken);

    public Task ReleaseAsync(string function, string key, CancellationToken cancellationToken = default) =>
        dialect.WriteRowAsync(dialect.DebounceReleaseSql, new { Function = function, Key = key }, cancellationToken);

    public Task<DateTimeOffset?> ClaimAsync(string function, string key, string executionId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var parameters = new { Function = function, Key = key, Id = executionId, Now = dialect.ToDb(StoredTime.Precise(now)) };
        return dialect.WriteAsync(
            async (connection, transaction) =>
            {
                if (await connection.ExecuteAsync(new CommandDefinition(dialect.DebounceClaimSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0)
                {
                    return (DateTimeOffset?)null;
                }

                var later = await connection.ExecuteScalarAsync<object?>(new CommandDefinition(dialect.DebounceRunAtSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return later is null or DBNull ? null : dialect.FromDb(later);
            },
            transactional: false,
            cancellationToken);
    }
}
