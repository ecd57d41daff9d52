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
    private string? _sql;

    /// <summary>Up to <paramref name="limit"/> such executions with an id after <paramref name="afterId"/>, by id.</summary>
    public async Task<IReadOnlyList<UnfinishedJobRow>> ListAsync(DateTimeOffset createdBefore, string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        _sql ??= dialect.Page($"""
            SELECT id, function_name, status FROM af_executions
            WHERE phase < {ExecutionStatusRules.FinishedPhase} AND lease_expires_at IS NULL
              AND created_at < @Before AND id > @After
            ORDER BY id
            """);
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Function, string Status)>(new CommandDefinition(
            _sql,
            new { Before = dialect.ToDb(createdBefore), After = afterId ?? "", Limit = limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new UnfinishedJobRow(r.Id, r.Function, Enum.Parse<ExecutionStatus>(r.Status))).ToList();
    }
}
