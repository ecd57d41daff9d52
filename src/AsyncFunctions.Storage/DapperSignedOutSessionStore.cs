using AsyncFunctions.Access;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>The ended dashboard sessions (<c>af_signed_out_sessions</c>) over Dapper, for every database; the SQL is the dialect's.</summary>
public sealed class DapperSignedOutSessionStore(SqlDialect dialect, TimeProvider time) : ISignedOutSessionStore
{
    public Task SignOutAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var parameters = new { SessionId = sessionId, Until = dialect.ToDb(until), Now = dialect.ToDb(time.GetUtcNow()) };
        return dialect.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(dialect.PurgeSignedOutSessionsSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return await connection.ExecuteAsync(new CommandDefinition(dialect.InsertSignedOutSessionSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            },
            transactional: true,
            cancellationToken);
    }

    public async Task<bool> IsSignedOutAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                dialect.IsSignedOutSessionSql, new { SessionId = sessionId }, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
        }
    }
}
