using System.Globalization;
using AsyncFunctions.Nodes;
using Dapper;

namespace AsyncFunctions.Storage.Nodes;

/// <summary>
/// The dead node's rows in Hangfire's SQL queue table (PostgreSQL and SQL Server keep Hangfire's
/// tables in the results database), found before the takeover requeues the job and deleted after:
/// the requeue adds a new row, which is left alone.
/// </summary>
public sealed class DapperStaleQueueClaims(SqlDialect dialect, string hangfireSchema) : IStaleQueueClaims
{
    public async Task<QueueClaims> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(jobId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return QueueClaims.None(jobId);
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<long>(new CommandDefinition(dialect.FetchedQueueRowsSql(hangfireSchema), new { JobId = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new QueueClaims(jobId, rows.Select(r => r.ToString(CultureInfo.InvariantCulture)).ToList());
    }

    public Task<int> RemoveAsync(QueueClaims claims, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Entries.Count == 0)
        {
            return Task.FromResult(0);
        }

        var ids = claims.Entries.Select(e => long.Parse(e, CultureInfo.InvariantCulture)).ToArray();
        var jobId = long.Parse(claims.JobId, CultureInfo.InvariantCulture);
        return dialect.WriteStatementAsync(dialect.DeleteQueueRowsSql(hangfireSchema), new { JobId = jobId, Ids = ids }, cancellationToken);
    }

    /// <summary>
    /// None: Hangfire's SQL queue rows stamp their fetch with the database's clock, which the dead
    /// node's heartbeat does not use, so a fetch of the dead node cannot be told from a living
    /// node's; such a row becomes visible again after the storage's invisibility timeout.
    /// </summary>
    public Task<IReadOnlyList<string>> RequeueUnstartedAsync(string nodeId, DateTimeOffset fetchedBy, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>
    /// Nothing to announce or release here: Hangfire.PostgreSql's and Hangfire.SqlServer's locks
    /// are held by their holder's session or expire with the storage's lock timeout.
    /// </summary>
    public Task AnnounceAsync(string nodeId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<int> ReleaseLocksAsync(string nodeId, IReadOnlyCollection<string>? jobIds, CancellationToken cancellationToken = default) => Task.FromResult(0);
}
