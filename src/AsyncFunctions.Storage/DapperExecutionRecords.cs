using AsyncFunctions.Executions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>The execution records and their status over Dapper, for every database; the SQL is the dialect's.</summary>
public sealed class DapperExecutionRecords(SqlDialect dialect) : IExecutionRecords
{
    /// <summary>
    /// The widths of error_code and error_type in every dialect's schema (SQL Server enforces them):
    /// a longer code or type is cut rather than failing the write that records the error.
    /// </summary>
    public const int MaxErrorCodeLength = 100;

    public const int MaxErrorTypeLength = 400;

    /// <remarks>Not an async method, as <see cref="ApplyAsync"/>: a caller that blocks on it is woken by the write itself.</remarks>
    public Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var parameters = new
        {
            execution.Id,
            execution.Function,
            execution.FunctionVersion,
            Status = execution.Status.ToString(),
            Phase = execution.Status.Phase(),
            At = dialect.ToDb(StoredTime.Precise(execution.CreatedAt)),
            Input = execution.Input.ToJsonString(),
            execution.ParentId,
            execution.RootId,
            execution.CallDepth,
            CallerKey = execution.Caller?.Key,
            CallerRole = execution.Caller?.Role,
            LeaseExpiresAt = execution.LeaseExpiresAt is { } lease ? dialect.ToDb(StoredTime.Precise(lease)) : null,
            execution.Schedule,
            ScheduledFor = execution.ScheduledFor is { } scheduledFor ? dialect.ToDb(StoredTime.Precise(scheduledFor)) : null,
            execution.Queue,
        };
        return dialect.WriteRowAsync(dialect.CreateSql, parameters, cancellationToken);
    }

    public Task<bool> TryCountTreeStartAsync(string rootId, int max, CancellationToken cancellationToken = default) =>
        TryCountTreeStartsAsync(rootId, 1, max, cancellationToken);

    public async Task<bool> TryCountTreeStartsAsync(string rootId, int count, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var parameters = new { RootId = rootId, Count = count, Max = max };
        return await dialect.WriteRowAsync(dialect.CountTreeStartSql, parameters, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// Not an async method: the dialect's task is handed back as it is, so a caller that blocks on
    /// it (the state filter) is woken by the write's completion, without a continuation of this
    /// method queued to the thread pool in between.
    /// </remarks>
    public Task<bool> ApplyAsync(StatusChange change, CancellationToken cancellationToken = default) =>
        dialect.WriteRowAsync(dialect.ApplySql, ApplyParameters(change), cancellationToken);

    public Task<bool> ApplyFirstStartAsync(StatusChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!change.StartsAttempt)
        {
            throw new ArgumentException($"Only a start (Processing) can be a first start, not {change.Status}.", nameof(change));
        }

        return dialect.WriteRowAsync(dialect.ApplyFirstStartSql, ApplyParameters(change), cancellationToken);
    }

    private object ApplyParameters(StatusChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var at = dialect.ToDb(StoredTime.Precise(change.At));
        return new
        {
            change.Id,
            change.Function,
            Status = change.Status.ToString(),
            Phase = change.Status.Phase(),
            At = at,
            Output = change.Output?.ToJsonString(),
            ErrorType = Fit(change.Error?.Type, MaxErrorTypeLength),
            ErrorMessage = change.Error?.Message,
            ErrorCode = Fit(change.Error?.Code, MaxErrorCodeLength),
            ErrorData = change.Error?.Data?.ToJsonString(),
            Attempt = change.StartsAttempt ? 1 : 0,
            StartedAt = change.StartsAttempt ? at : null,
            CompletedAt = change.Status.IsTerminal() ? at : null,
        };
    }

    public async Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var row = await dialect.ReadRowAsync<ExecutionRow>(dialect.GetExecutionSql, new { Id = id }, cancellationToken).ConfigureAwait(false);
        return row?.ToRecord(dialect);
    }

    public async Task<IReadOnlyDictionary<string, ExecutionResult>> GetResultsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var results = new Dictionary<string, ExecutionResult>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return results;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters))
        {
            var rows = await connection.QueryAsync<ExecutionRow>(new CommandDefinition(
                dialect.GetResultsSql, new { Ids = chunk }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var row in rows)
            {
                results[row.Id] = row.ToResult();
            }
        }

        return results;
    }

    public async Task<IReadOnlyDictionary<string, string?>> GetCallerKeysAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var keys = new Dictionary<string, string?>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return keys;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters))
        {
            var rows = await connection.QueryAsync<(string Id, string? CallerKey)>(new CommandDefinition(
                dialect.GetCallerKeysSql, new { Ids = chunk }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var (id, callerKey) in rows)
            {
                keys[id] = callerKey;
            }
        }

        return keys;
    }

    public async Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, ExecutionQuery.MaxLimit);

        // Every filter's value; the statement names only those the query sets, and Dapper sends only those.
        var parameters = new
        {
            Limit = limit + 1,
            query.Function,
            Status = query.Status?.ToString(),
            query.ParentId,
            query.CallerKey,
            query.Schedule,
            query.ErrorCode,
            CreatedFrom = query.CreatedFrom is { } from ? dialect.ToDb(StoredTime.Precise(from)) : null,
            CreatedBefore = query.CreatedBefore is { } before ? dialect.ToDb(StoredTime.Precise(before)) : null,
            Cursor = query.Cursor is null ? (long?)null : ExecutionCursor.Decode(query.Cursor),
        };

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<ExecutionRow>(new CommandDefinition(
            dialect.ListExecutionsSql(query), parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? ExecutionCursor.Encode(page[^1].Seq) : null;
        return new ExecutionPage(page.Select(r => r.ToRecord(dialect)).ToList(), next);
    }

    public async Task<bool> LinkRetryAsync(string retriedId, string retryId, CancellationToken cancellationToken = default)
    {
        var parameters = new { Retried = retriedId, Retry = retryId };
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            var claimed = await connection.ExecuteAsync(new CommandDefinition(dialect.ClaimRetrySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (claimed == 0)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(dialect.MarkRetrySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteScalarAsync<int>(new CommandDefinition(dialect.PingSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static string? Fit(string? text, int length) => text is { Length: var n } && n > length ? text[..length] : text;
}
