using AsyncFunctions.Executions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>
/// The unfinished executions that should have a job in the job storage: neither finished nor run
/// synchronously (a sync run has a lease and no job), created before a given time. Read in pages
/// by id, for the sweep that ends executions whose job is gone.
/// </summary>
public sealed class UnfinishedJobRows(SqlDialect dialect)
{
    /// <summary>Up to <paramref name="limit"/> such executions with an id after <paramref name="afterId"/>, by id.</summary>
    public async Task<IReadOnlyList<UnfinishedJobRow>> ListAsync(DateTimeOffset createdBefore, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Function, string Status)>(new CommandDefinition(
            dialect.UnfinishedJobRowsSql,
            new { Before = dialect.ToDb(createdBefore), After = afterId ?? "", Limit = limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new UnfinishedJobRow(r.Id, r.Function, Enum.Parse<ExecutionStatus>(r.Status))).ToList();
    }
}
