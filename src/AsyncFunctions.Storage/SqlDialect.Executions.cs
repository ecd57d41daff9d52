using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>The statements of the execution records and their status (<see cref="DapperExecutionRecords"/>).</summary>
public abstract partial class SqlDialect
{
    /// <summary>The columns every query of an execution row reads.</summary>
    public const string RowColumns =
        "seq, id, function_name, function_version, status, input, output, error_type, error_message, error_code, error_data, " +
        "attempts, parent_id, root_id, call_depth, caller_key, caller_role, created_at, started_at, completed_at, " +
        "waiting_for, awaiting_since, wake_at, resumes, resumed_at, CASE WHEN saved_state IS NULL THEN 0 ELSE 1 END AS has_checkpoint, retry_of, retried_by, " +
        "schedule_name, scheduled_for, queue";

    /// <summary>The columns of an execution's result.</summary>
    public const string ResultColumns = "id, status, output, error_type, error_message, error_code, error_data";

    /// <summary>
    /// Inserts a new row (parameters: Id, Function, FunctionVersion, Status, Phase, At, Input,
    /// ParentId, RootId, CallDepth, LeaseExpiresAt, CallerKey, CallerRole, Schedule, ScheduledFor, Queue); when a placeholder
    /// exists, fills in what it lacks without touching its status.
    /// </summary>
    public virtual string CreateSql => Statement(() => Upsert(new UpsertStatement
    {
        Table = "af_executions",
        Keys = ["id"],
        Values =
        [
            new("id", "@Id"),
            new("function_name", "@Function"),
            new("function_version", "@FunctionVersion"),
            new("status", "@Status"),
            new("phase", "@Phase"),
            new("status_at", Timestamp("@At")),
            new("input", Json("@Input")),
            new("parent_id", "@ParentId"),
            new("root_id", "@RootId"),
            new("call_depth", "@CallDepth"),
            new("caller_key", "@CallerKey"),
            new("caller_role", "@CallerRole"),
            new("created_at", Timestamp("@At")),
            new("lease_expires_at", NullableTimestamp("@LeaseExpiresAt")),
            new("schedule_name", "@Schedule"),
            new("scheduled_for", NullableTimestamp("@ScheduledFor")),
            new("queue", "@Queue"),
        ],
        Set = row => Assign(
            row,
            ["function_version", "input", "parent_id", "root_id", "call_depth", "caller_key", "caller_role", "schedule_name", "scheduled_for", "queue"],
            $"created_at = {Earlier(row.Stored("created_at"), row.Incoming("created_at"))}"),
        When = row => $"{row.Stored("input")} IS NULL",
    }));

    /// <summary>
    /// Upserts a status change under the monotonic rule (parameters: Id, Function, Status, Phase,
    /// At, Output, ErrorType, ErrorMessage, ErrorCode, ErrorData, Attempt (0 or 1), StartedAt,
    /// CompletedAt). The rule's condition is <see cref="Supersedes"/>.
    /// </summary>
    public virtual string ApplySql => Statement(() => Upsert(ApplyStatement(null)) + AfterApply);

    /// <summary>
    /// <see cref="ApplySql"/> for an execution's first start (a <c>Processing</c> change, same
    /// parameters), applied only while the row has never started: no attempt and no resume counted
    /// yet. The node that created the execution and still holds its row learns from this one write,
    /// atomically, that its copy is what a read would return, and runs without reading it. A start
    /// it does not apply (a retry, a resume, a run another node began) is written with
    /// <see cref="ApplySql"/> and read as before. It never finishes an execution, so nothing follows it.
    /// </summary>
    public virtual string ApplyFirstStartSql => Statement(() => Upsert(ApplyStatement(
        row => $"{row.Stored("attempts")} = 0 AND {row.Stored("resumes")} = 0")));

    /// <summary>The status upsert of <see cref="ApplySql"/>, with a further condition on the stored row when given.</summary>
    private UpsertStatement ApplyStatement(Func<UpsertRow, string>? andAlso) => new()
    {
        Table = "af_executions",
        Keys = ["id"],
        Values =
        [
            new("id", "@Id"),
            new("function_name", "@Function"),
            new("status", "@Status"),
            new("phase", "@Phase"),
            new("status_at", Timestamp("@At")),
            new("output", Json("@Output")),
            new("error_type", "@ErrorType"),
            new("error_message", "@ErrorMessage"),
            new("error_code", "@ErrorCode"),
            new("error_data", Json("@ErrorData")),
            new("attempts", "@Attempt"),
            new("created_at", Timestamp("@At")),
            new("started_at", NullableTimestamp("@StartedAt")),
            new("completed_at", NullableTimestamp("@CompletedAt")),
        ],
        Set = row => Assign(
            row,
            ["status", "phase", "status_at", "output", "error_type", "error_message", "error_code", "error_data", "completed_at"],
            SuspensionBookkeeping(row)),
        When = row => andAlso is null
            ? Supersedes(row.Incoming("phase"), row.Incoming("status_at"), row.Stored("phase"), row.Stored("status_at"))
            : $"{Supersedes(row.Incoming("phase"), row.Incoming("status_at"), row.Stored("phase"), row.Stored("status_at"))} AND {andAlso(row)}",
    };

    /// <summary>
    /// Counts @Count more async starts on a tree's root row unless the tree would pass @Max
    /// (parameters: RootId, Count, Max); one row changed means the starts may go on.
    /// </summary>
    public virtual string CountTreeStartSql => "UPDATE af_executions SET tree_starts = tree_starts + @Count WHERE id = @RootId AND tree_starts + @Count <= @Max";

    /// <summary>One execution row (parameters: Id).</summary>
    public virtual string GetExecutionSql => $"SELECT {RowColumns} FROM af_executions WHERE id = @Id";

    /// <summary>The results of the ids of the list parameter @Ids.</summary>
    public virtual string GetResultsSql => Statement(() => $"SELECT {ResultColumns} FROM af_executions WHERE {InList("id", "@Ids")}");

    /// <summary>The caller key of the ids of the list parameter @Ids.</summary>
    public virtual string GetCallerKeysSql => Statement(() => $"SELECT id, caller_key FROM af_executions WHERE {InList("id", "@Ids")}");

    /// <summary>
    /// A page of execution rows, newest first, filtered by what <paramref name="query"/> sets
    /// (parameters: Limit, and Function, Status, ParentId, CallerKey, Schedule, ErrorCode, CreatedFrom,
    /// CreatedBefore, Cursor for the filters that are set).
    /// </summary>
    public virtual string ListExecutionsSql(ExecutionQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        Add(query.Function is not null, "function_name = @Function");
        Add(query.Status is not null, "status = @Status");
        Add(query.ParentId is not null, "parent_id = @ParentId");
        Add(query.CallerKey is not null, "caller_key = @CallerKey");
        Add(query.Schedule is not null, "schedule_name = @Schedule");
        Add(query.ErrorCode is not null, "error_code = @ErrorCode");
        Add(query.CreatedFrom is not null, "created_at >= @CreatedFrom");
        Add(query.CreatedBefore is not null, "created_at < @CreatedBefore");
        Add(query.Cursor is not null, "seq < @Cursor");
        var filter = where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
        return Page($"SELECT {RowColumns} FROM af_executions{filter} ORDER BY seq DESC");

        void Add(bool set, string condition)
        {
            if (set)
            {
                where.Add(condition);
            }
        }
    }

    /// <summary>Marks @Retried as retried by @Retry unless another retry did (parameters: Retried, Retry).</summary>
    public virtual string ClaimRetrySql => "UPDATE af_executions SET retried_by = @Retry WHERE id = @Retried AND retried_by IS NULL";

    /// <summary>Marks @Retry as the retry of @Retried (parameters: Retried, Retry).</summary>
    public virtual string MarkRetrySql => "UPDATE af_executions SET retry_of = @Retried WHERE id = @Retry";

    /// <summary>Reads every column the stores read: fails until the whole schema is applied.</summary>
    public virtual string PingSql => $"SELECT COUNT(*) FROM (SELECT {RowColumns} FROM af_executions WHERE 1 = 0) t";

    /// <summary>A SET list that copies each of <paramref name="columns"/> from the incoming row, then <paramref name="more"/>.</summary>
    protected static string Assign(UpsertRow row, IEnumerable<string> columns, string more)
    {
        ArgumentNullException.ThrowIfNull(row);
        return string.Join(",\n    ", columns.Select(c => $"{c} = {row.Incoming(c)}").Append(more));
    }
}
