using AsyncFunctions.Access;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>The ended dashboard sessions (<c>af_signed_out_sessions</c>) over Dapper, for every database.</summary>
public sealed class DapperSignedOutSessionStore(SqlDialect dialect, TimeProvider time) : ISignedOutSessionStore
{
    private const string InsertSql = """
        INSERT INTO af_signed_out_sessions (session_id, expires_at)
        SELECT @SessionId, @Until
        WHERE NOT EXISTS (SELECT 1 FROM af_signed_out_sessions WHERE session_id = @SessionId)
        """;

    private const string PurgeSql = "DELETE FROM af_signed_out_sessions WHERE expires_at < @Now";

    public Task SignOutAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        var parameters = new { SessionId = sessionId, Until = dialect.ToDb(until), Now = dialect.ToDb(time.GetUtcNow()) };
        return dialect.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(PurgeSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return await connection.ExecuteAsync(new CommandDefinition(InsertSql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
                "SELECT 1 FROM af_signed_out_sessions WHERE session_id = @sessionId", new { sessionId }, cancellationToken: cancellationToken)).ConfigureAwait(false) is not null;
        }
    }
}
