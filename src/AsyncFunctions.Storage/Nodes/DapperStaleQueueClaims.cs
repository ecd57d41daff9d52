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
}
