using System.Globalization;
using AsyncFunctions.Nodes;
using Dapper;

namespace AsyncFunctions.Storage.Nodes;

/// <summary>
/// The dead node's rows in Hangfire's SQL queue table (PostgreSQL and SQL Server keep Hangfire's
/// tables in the results database), found before the takeover requeues the job and deleted after:
/// the requeue adds a new row, which is left alone. In between they are held: stamped as fetched
/// ahead, as the storages' own renewal does, so that no worker fetches them again meanwhile.
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
        var rows = (await connection.QueryAsync<FetchedRow>(new CommandDefinition(dialect.FetchedQueueRowsSql(hangfireSchema), new { JobId = id }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        return new QueueClaims(jobId, rows.Select(r => r.Id.ToString(CultureInfo.InvariantCulture)).ToList())
        {
            Ages = rows.Select(r => TimeSpan.FromSeconds(r.AgeSeconds)).ToList(),
            FetchedAt = rows.Select(r => r.FetchedAt).ToList(),
        };
    }

    public async Task<bool> HoldAsync(QueueClaims claims, TimeSpan holdFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var jobId = long.Parse(claims.JobId, CultureInfo.InvariantCulture);
        for (var i = 0; i < claims.Entries.Count; i++)
        {
            var held = await dialect.WriteStatementAsync(
                dialect.HoldQueueRowSql(hangfireSchema),
                new { JobId = jobId, Id = long.Parse(claims.Entries[i], CultureInfo.InvariantCulture), FetchedAt = claims.FetchedAt[i], HoldSeconds = holdFor.TotalSeconds },
                cancellationToken).ConfigureAwait(false);
            if (held == 0)
            {
                return false;
            }
        }

        return true;
    }

    private sealed class FetchedRow
    {
        public long Id { get; init; }

        public DateTime FetchedAt { get; init; }

        public double AgeSeconds { get; init; }
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
