using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>The results table over Dapper, for every database; <see cref="SqlDialect"/> holds what differs.</summary>
public sealed class DapperExecutionStore(SqlDialect dialect) : IExecutionStore
{
    private const string ResultColumns = "id, status, output, error_type, error_message, error_code, error_data";

    /// <summary>
    /// The widths of error_code and error_type in every dialect's schema (SQL Server enforces them):
    /// a longer code or type is cut rather than failing the write that records the error.
    /// </summary>
    public const int MaxErrorCodeLength = 100;

    public const int MaxErrorTypeLength = 400;

    public async Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default)
    {
        var parameters = new
        {
            execution.Id,
            execution.Function,
            execution.FunctionVersion,
            Status = execution.Status.ToString(),
            Phase = execution.Status.Phase(),
            At = dialect.ToDb(Precise(execution.CreatedAt)),
            Input = execution.Input.ToJsonString(),
            execution.ParentId,
            execution.RootId,
            execution.CallDepth,
            CallerKey = execution.Caller?.Key,
            CallerRole = execution.Caller?.Role,
            LeaseExpiresAt = execution.LeaseExpiresAt is { } lease ? dialect.ToDb(Precise(lease)) : null,
            execution.Schedule,
            ScheduledFor = execution.ScheduledFor is { } scheduledFor ? dialect.ToDb(Precise(scheduledFor)) : null,
        };
        await dialect.WriteRowAsync(dialect.CreateSql, parameters, cancellationToken).ConfigureAwait(false);
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
    public Task<bool> ApplyAsync(StatusChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var at = dialect.ToDb(Precise(change.At));
        var parameters = new
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
        return dialect.WriteRowAsync(dialect.ApplySql, parameters, cancellationToken);
    }

    public async Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<ExecutionRow>(new CommandDefinition(
            $"SELECT {SqlDialect.RowColumns} FROM af_executions WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : ToRecord(row);
    }

    public async Task<IReadOnlyDictionary<string, ExecutionResult>> GetResultsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        var results = new Dictionary<string, ExecutionResult>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return results;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters))
        {
            var rows = await connection.QueryAsync<ExecutionRow>(new CommandDefinition(
                $"SELECT {ResultColumns} FROM af_executions WHERE {dialect.InList("id", "@chunk")}", new { chunk }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var row in rows)
            {
                results[row.Id] = new ExecutionResult(row.Id, ParseStatus(row.Status), ParseJson(row.Output), ToError(row));
            }
        }

        return results;
    }

    public async Task<IReadOnlyDictionary<string, string?>> GetCallerKeysAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        var keys = new Dictionary<string, string?>(ids.Count, StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return keys;
        }

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters))
        {
            var rows = await connection.QueryAsync<(string Id, string? CallerKey)>(new CommandDefinition(
                $"SELECT id, caller_key FROM af_executions WHERE {dialect.InList("id", "@chunk")}", new { chunk }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var (id, callerKey) in rows)
            {
                keys[id] = callerKey;
            }
        }

        return keys;
    }

    public async Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Math.Clamp(query.Limit, 1, ExecutionQuery.MaxLimit);
        var where = new List<string>();
        var parameters = new DynamicParameters();
        parameters.Add("Limit", limit + 1);
        if (query.Function is not null)
        {
            where.Add("function_name = @Function");
            parameters.Add("Function", query.Function);
        }

        if (query.Status is { } status)
        {
            where.Add("status = @Status");
            parameters.Add("Status", status.ToString());
        }

        if (query.ParentId is not null)
        {
            where.Add("parent_id = @ParentId");
            parameters.Add("ParentId", query.ParentId);
        }

        if (query.CallerKey is not null)
        {
            where.Add("caller_key = @CallerKey");
            parameters.Add("CallerKey", query.CallerKey);
        }

        if (query.Schedule is not null)
        {
            where.Add("schedule_name = @Schedule");
            parameters.Add("Schedule", query.Schedule);
        }

        if (query.ErrorCode is not null)
        {
            where.Add("error_code = @ErrorCode");
            parameters.Add("ErrorCode", query.ErrorCode);
        }

        if (query.CreatedFrom is { } from)
        {
            where.Add("created_at >= @CreatedFrom");
            parameters.Add("CreatedFrom", dialect.ToDb(Precise(from)));
        }

        if (query.CreatedBefore is { } before)
        {
            where.Add("created_at < @CreatedBefore");
            parameters.Add("CreatedBefore", dialect.ToDb(Precise(before)));
        }

        if (query.Cursor is not null)
        {
            where.Add("seq < @Cursor");
            parameters.Add("Cursor", ExecutionCursor.Decode(query.Cursor));
        }

        var filter = where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
        var sql = dialect.Page($"SELECT {SqlDialect.RowColumns} FROM af_executions{filter} ORDER BY seq DESC");

        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<ExecutionRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? ExecutionCursor.Encode(page[^1].Seq) : null;
        return new ExecutionPage(page.Select(ToRecord).ToList(), next);
    }

    public async Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var when = dialect.ToDb(Precise(at));
        var parameters = new { Status = nameof(ExecutionStatus.Failed), Finished = ExecutionStatusRules.FinishedPhase, At = when, error.Type, error.Message, error.Code };
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE af_executions SET status = @Status, phase = @Finished, status_at = @At, completed_at = @At, " +
                "error_type = @Type, error_message = @Message, error_code = @Code, error_data = NULL, saved_state = NULL WHERE phase < @Finished",
                parameters,
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, transactional: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var until = dialect.ToDb(Precise(expiresAt));
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(dialect.MaxParameters - 1))
        {
            await dialect.WriteAsync(async (connection, transaction) =>
            {
                return await connection.ExecuteAsync(new CommandDefinition(
                    $"UPDATE af_executions SET lease_expires_at = @Until WHERE phase < {ExecutionStatusRules.FinishedPhase} AND {dialect.InList("id", "@chunk")}",
                    new { Until = until, chunk },
                    transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            }, transactional: false, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Id, string Function)>(new CommandDefinition(
            $"SELECT id, function_name FROM af_executions WHERE phase < {ExecutionStatusRules.FinishedPhase} AND lease_expires_at < @Now",
            new { Now = dialect.ToDb(Precise(now)) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new LeasedExecution(r.Id, r.Function)).ToList();
    }

    public async Task SuspendAsync(string id, Suspension suspension, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suspension);
        var row = new
        {
            Id = id,
            suspension.Checkpoint,
            WaitingFor = JsonSerializer.Serialize(suspension.WaitingFor),
            At = dialect.ToDb(Precise(at)),
            WakeAt = dialect.ToDb(Precise(suspension.WakeAt)),
        };
        var waits = suspension.WaitingFor.Distinct(StringComparer.Ordinal).Select(awaited => new { Id = id, Awaited = awaited }).ToList();
        await dialect.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM af_execution_waits WHERE waiter_id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (waits.Count > 0)
            {
                await connection.ExecuteAsync(new CommandDefinition("INSERT INTO af_execution_waits (waiter_id, awaited_id) VALUES (@Id, @Awaited)", waits, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            }

            return await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE af_executions SET saved_state = @Checkpoint, waiting_for = @WaitingFor, awaiting_since = @At, wake_at = @WakeAt WHERE id = @Id",
                row,
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> LoadCheckpointAsync(string id, CancellationToken cancellationToken = default)
    {
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM af_execution_waits WHERE waiter_id = @id", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT saved_state FROM af_executions WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
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
            dialect.DueSuspensionsSql, new { Now = dialect.ToDb(Precise(now)), Limit = limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return due.ToList();
    }

    public async Task<bool> LinkRetryAsync(string retriedId, string retryId, CancellationToken cancellationToken = default)
    {
        var parameters = new { Retried = retriedId, Retry = retryId };
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE af_executions SET retried_by = @Retry WHERE id = @Retried AND retried_by IS NULL", parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (claimed == 0)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE af_executions SET retry_of = @Retried WHERE id = @Retry", parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return true;
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotentStart start, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var parameters = new
        {
            start.CallerKey,
            start.Key,
            start.Function,
            start.RequestHash,
            At = dialect.ToDb(Precise(now)),
            ExpiredBefore = dialect.ToDb(Precise(expiredBefore)),
        };
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            // An expired key is dropped first, so the insert below may take it again.
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM af_idempotency_keys WHERE caller_key = @CallerKey AND idempotency_key = @Key AND created_at < @ExpiredBefore",
                parameters,
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var inserted = await connection.ExecuteAsync(new CommandDefinition(dialect.InsertIdempotencyKeySql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var stored = await connection.QuerySingleAsync<(string Function, string RequestHash, string? ExecutionId)>(new CommandDefinition(
                "SELECT function_name, request_hash, execution_id FROM af_idempotency_keys WHERE caller_key = @CallerKey AND idempotency_key = @Key",
                parameters,
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new IdempotencyClaim(inserted > 0, stored.Function, stored.RequestHash, stored.ExecutionId);
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    public Task SetIdempotencyExecutionAsync(string callerKey, string key, string executionId, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE af_idempotency_keys SET execution_id = @ExecutionId WHERE caller_key = @CallerKey AND idempotency_key = @Key",
            new { CallerKey = callerKey, Key = key, ExecutionId = executionId },
            cancellationToken);

    public Task ReleaseIdempotencyKeyAsync(string callerKey, string key, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "DELETE FROM af_idempotency_keys WHERE caller_key = @CallerKey AND idempotency_key = @Key AND execution_id IS NULL",
            new { CallerKey = callerKey, Key = key },
            cancellationToken);

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM af_idempotency_keys WHERE created_at < @Before", new { Before = dialect.ToDb(Precise(createdBefore)) }, cancellationToken);

    public async Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken = default)
    {
        var parameters = new { Finished = ExecutionStatusRules.FinishedPhase, Before = dialect.ToDb(Precise(completedBefore)), Limit = Math.Clamp(limit, 1, dialect.MaxParameters - 1) };
        return await dialect.WriteAsync(async (connection, transaction) =>
        {
            var ids = (await connection.QueryAsync<string>(new CommandDefinition(
                dialect.Page("SELECT id FROM af_executions WHERE phase = @Finished AND completed_at < @Before ORDER BY completed_at"),
                parameters,
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false)).ToArray();
            if (ids.Length == 0)
            {
                return 0;
            }

            // The logs and waits go with their execution, in the same transaction.
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM af_execution_logs WHERE {dialect.InList("execution_id", "@ids")}", new { ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM af_execution_waits WHERE {dialect.InList("waiter_id", "@ids")}", new { ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM af_webhook_deliveries WHERE {dialect.InList("execution_id", "@ids")}", new { ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM af_webhooks WHERE {dialect.InList("execution_id", "@ids")}", new { ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM af_executions WHERE phase = {ExecutionStatusRules.FinishedPhase} AND {dialect.InList("id", "@ids")}", new { ids }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }, transactional: true, cancellationToken).ConfigureAwait(false);
    }

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        dialect.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)),
            transactional: false,
            cancellationToken);

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Every column the store reads: fails until the whole schema is applied.
        await connection.ExecuteScalarAsync<int>(new CommandDefinition($"SELECT COUNT(*) FROM (SELECT {SqlDialect.RowColumns} FROM af_executions WHERE 1 = 0) t", cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Every database keeps microseconds at least; rounding here makes all of them compare alike.</summary>
    private static DateTimeOffset Precise(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    private ExecutionRecord ToRecord(ExecutionRow row) => new()
    {
        Id = row.Id,
        Function = row.Function_Name,
        FunctionVersion = row.Function_Version,
        Status = ParseStatus(row.Status),
        Input = ParseJson(row.Input),
        Output = ParseJson(row.Output),
        Error = ToError(row),
        Attempts = row.Attempts,
        ParentId = row.Parent_Id,
        RootId = row.Root_Id,
        CallDepth = row.Call_Depth,
        Caller = row.Caller_Key is null ? null : new ExecutionCaller(row.Caller_Key, row.Caller_Role ?? ""),
        CreatedAt = dialect.FromDb(row.Created_At),
        StartedAt = row.Started_At is null ? null : dialect.FromDb(row.Started_At),
        CompletedAt = row.Completed_At is null ? null : dialect.FromDb(row.Completed_At),
        WaitingFor = row.Status == SqlDialect.AwaitingStatus && row.Waiting_For is not null ? JsonSerializer.Deserialize<string[]>(row.Waiting_For) : null,
        AwaitingSince = row.Status == SqlDialect.AwaitingStatus && row.Awaiting_Since is not null ? dialect.FromDb(row.Awaiting_Since) : null,
        WakeAt = row.Status == SqlDialect.AwaitingStatus && row.Wake_At is not null ? dialect.FromDb(row.Wake_At) : null,
        Resumes = row.Resumes,
        HasCheckpoint = row.Has_Checkpoint != 0,
        RetryOf = row.Retry_Of,
        RetriedBy = row.Retried_By,
        Schedule = row.Schedule_Name,
        ScheduledFor = row.Scheduled_For is null ? null : dialect.FromDb(row.Scheduled_For),
    };

    private static ExecutionError? ToError(ExecutionRow row) =>
        row.Error_Code is null ? null : new ExecutionError(row.Error_Type ?? "", row.Error_Message ?? "", row.Error_Code, ParseJson(row.Error_Data));

    private static ExecutionStatus ParseStatus(string status) => Enum.Parse<ExecutionStatus>(status);

    private static JsonNode? ParseJson(string? json) => json is null ? null : JsonNode.Parse(json);

    private static string? Fit(string? text, int length) => text is { Length: var n } && n > length ? text[..length] : text;
}
