using System.Data.Common;
using AsyncFunctions.Executions;
using Dapper;

namespace AsyncFunctions.Storage;

/// <summary>
/// What differs between databases for the results table: connections, upserts, paging and how
/// timestamps and JSON travel. Standard SQL lives in <see cref="DapperExecutionStore"/>; each
/// database overrides only what it must.
/// </summary>
public abstract class SqlDialect
{
    // The statements are built once from the dialect's hooks: every write uses them.
    private string? _createSql;
    private string? _applySql;

    /// <summary>The columns every query of an execution row reads.</summary>
    public const string RowColumns =
        "seq, id, function_name, function_version, status, input, output, error_type, error_message, error_code, error_data, " +
        "attempts, parent_id, root_id, call_depth, caller_key, caller_role, created_at, started_at, completed_at, " +
        "waiting_for, awaiting_since, wake_at, resumes, CASE WHEN saved_state IS NULL THEN 0 ELSE 1 END AS has_checkpoint, retry_of, retried_by, " +
        "schedule_name, scheduled_for";

    /// <summary>
    /// The SET expressions of a status write that keep a suspension's bookkeeping, in terms of the
    /// stored row (<paramref name="row"/>) and the new phase (<paramref name="newPhase"/>): a move
    /// from Awaiting back to pending is a resume (counted in resumes, and the start that follows is
    /// not an attempt), and a finished execution drops its checkpoint.
    /// </summary>
    protected static string SuspensionColumnsSql(string row, string newPhase, string newAttempt) => $"""
        attempts = {row}attempts + CASE WHEN {row}resuming = 1 THEN 0 ELSE {newAttempt} END,
            resumes = {row}resumes + CASE WHEN {row}status = '{AwaitingStatus}' AND {newPhase} = {ExecutionStatusRules.PendingPhase} THEN 1 ELSE 0 END,
            resuming = CASE WHEN {newPhase} = {ExecutionStatusRules.PendingPhase} AND ({row}status = '{AwaitingStatus}' OR {row}resuming = 1) THEN 1 ELSE 0 END,
            saved_state = CASE WHEN {newPhase} = {ExecutionStatusRules.FinishedPhase} THEN NULL ELSE {row}saved_state END
        """;

    /// <summary>The stored status of a suspended execution.</summary>
    public const string AwaitingStatus = nameof(ExecutionStatus.Awaiting);

    public abstract DbConnection CreateConnection();

    /// <summary>Opens a connection ready for use; dialects add per-connection settings here.</summary>
    public virtual async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Inserts a new row (parameters: Id, Function, FunctionVersion, Status, Phase, At, Input,
    /// ParentId, RootId, CallDepth, LeaseExpiresAt, CallerKey, CallerRole, Schedule, ScheduledFor); when a placeholder exists, fills in what it
    /// lacks without touching its status. Standard <c>ON CONFLICT</c>; a database without it overrides.
    /// </summary>
    public virtual string CreateSql => _createSql ??= $"""
        INSERT INTO af_executions AS e (id, function_name, function_version, status, phase, status_at, input, parent_id, root_id, call_depth, caller_key, caller_role, created_at, lease_expires_at, schedule_name, scheduled_for)
        VALUES (@Id, @Function, @FunctionVersion, @Status, @Phase, @At, {Json("@Input")}, @ParentId, @RootId, @CallDepth, @CallerKey, @CallerRole, @At, {NullableTimestamp("@LeaseExpiresAt")}, @Schedule, {NullableTimestamp("@ScheduledFor")})
        ON CONFLICT (id) DO UPDATE SET
            function_version = EXCLUDED.function_version,
            input = EXCLUDED.input,
            parent_id = EXCLUDED.parent_id,
            root_id = EXCLUDED.root_id,
            call_depth = EXCLUDED.call_depth,
            caller_key = EXCLUDED.caller_key,
            caller_role = EXCLUDED.caller_role,
            schedule_name = EXCLUDED.schedule_name,
            scheduled_for = EXCLUDED.scheduled_for,
            created_at = {Earlier("e.created_at", "EXCLUDED.created_at")}
        WHERE e.input IS NULL
        """;

    /// <summary>
    /// Counts one more async start on a tree's root row unless the tree reached @Max (parameters:
    /// RootId, Max); one row changed means the start may go on.
    /// </summary>
    public virtual string CountTreeStartSql => "UPDATE af_executions SET tree_starts = tree_starts + @Count WHERE id = @RootId AND tree_starts + @Count <= @Max";

    /// <summary>
    /// Upserts a status change under the monotonic rule (parameters: Id, Function, Status, Phase,
    /// At, Output, ErrorType, ErrorMessage, ErrorCode, ErrorData, Attempt (0 or 1), StartedAt,
    /// CompletedAt). The rule's condition comes from <see cref="ExecutionStatusRules.SupersedesSql"/>.
    /// </summary>
    public virtual string ApplySql => _applySql ??= $"""
        INSERT INTO af_executions AS e (id, function_name, status, phase, status_at, output, error_type, error_message, error_code, error_data,
                                        attempts, created_at, started_at, completed_at)
        VALUES (@Id, @Function, @Status, @Phase, @At, {Json("@Output")}, @ErrorType, @ErrorMessage, @ErrorCode, {Json("@ErrorData")},
                @Attempt, @At, @StartedAt, @CompletedAt)
        ON CONFLICT (id) DO UPDATE SET
            status = EXCLUDED.status,
            phase = EXCLUDED.phase,
            status_at = EXCLUDED.status_at,
            output = EXCLUDED.output,
            error_type = EXCLUDED.error_type,
            error_message = EXCLUDED.error_message,
            error_code = EXCLUDED.error_code,
            error_data = EXCLUDED.error_data,
            {SuspensionColumnsSql("e.", "EXCLUDED.phase", "EXCLUDED.attempts")},
            started_at = COALESCE(EXCLUDED.started_at, e.started_at),
            completed_at = EXCLUDED.completed_at
        WHERE {ExecutionStatusRules.SupersedesSql("EXCLUDED.phase", "EXCLUDED.status_at", "e.phase", "e.status_at")}
        {AfterApply}
        """;

    /// <summary>
    /// Unfinished executions waiting for any of the list parameter @Ids whose every awaited
    /// execution is finished (parameters: Ids). Not only those already Awaiting: a waiter whose
    /// suspension is being committed right now is resumed as soon as the commit releases its job.
    /// </summary>
    public virtual string ReadyWaitersSql => $"""
        SELECT DISTINCT w.waiter_id FROM af_execution_waits w JOIN af_executions p ON p.id = w.waiter_id
        WHERE {InList("w.awaited_id", "@Ids")} AND p.phase < {ExecutionStatusRules.FinishedPhase}
          AND {NothingLeftToAwait("w.waiter_id")}
        """;

    /// <summary>
    /// Suspended awaits that are due: deadline before @Now, or nothing left unfinished (parameters:
    /// Now, Limit). A sleep has no waits and is left to its job's scheduled state.
    /// </summary>
    public virtual string DueSuspensionsSql => Page($"""
        SELECT p.id FROM af_executions p
        WHERE p.status = '{AwaitingStatus}'
          AND EXISTS (SELECT 1 FROM af_execution_waits a WHERE a.waiter_id = p.id)
          AND (p.wake_at <= @Now
               OR {NothingLeftToAwait("p.id")})
        ORDER BY p.wake_at
        """);

    /// <summary>
    /// Inserts an idempotency key unless it is stored already (parameters: CallerKey, Key,
    /// Function, RequestHash, At); one row changed means this call stored it. The primary key
    /// decides between concurrent inserts.
    /// </summary>
    public virtual string InsertIdempotencyKeySql => """
        INSERT INTO af_idempotency_keys (caller_key, idempotency_key, function_name, request_hash, execution_id, created_at)
        VALUES (@CallerKey, @Key, @Function, @RequestHash, NULL, @At)
        ON CONFLICT (caller_key, idempotency_key) DO NOTHING
        """;

    /// <summary>A condition that none of the executions <paramref name="waiter"/> waits for is unfinished.</summary>
    private static string NothingLeftToAwait(string waiter) =>
        $"NOT EXISTS (SELECT 1 FROM af_execution_waits o JOIN af_executions c ON c.id = o.awaited_id WHERE o.waiter_id = {waiter} AND c.phase < {ExecutionStatusRules.FinishedPhase})";

    /// <summary>The earlier of two timestamps (standard <c>LEAST</c>; SQLite spells it <c>MIN</c>).</summary>
    protected virtual string Earlier(string first, string second) => $"LEAST({first}, {second})";

    /// <summary>A timestamp parameter that may be null, typed where the database cannot infer it.</summary>
    protected virtual string NullableTimestamp(string parameter) => parameter;

    /// <summary>What follows the status upsert, e.g. a notification of the rows it wrote.</summary>
    protected virtual string AfterApply => "";

    /// <summary>
    /// A condition that <paramref name="column"/> is one of the values of the list parameter
    /// <paramref name="listParameter"/>. Dapper expands <c>IN @list</c> into one parameter per value,
    /// except on PostgreSQL, where it sends the list as one array parameter.
    /// </summary>
    public virtual string InList(string column, string listParameter) => $"{column} IN {listParameter}";

    /// <summary>How a JSON text parameter is written into a JSON column (PostgreSQL needs a cast).</summary>
    public virtual string Json(string parameter) => parameter;

    /// <summary>
    /// Locks a function name's row for the rest of the transaction, creating it (version 0,
    /// deleted) when the name is new, so saves of one name run one after another
    /// (parameters: Name, At, Deleted = true).
    /// </summary>
    public virtual string LockDefinitionSql => """
        INSERT INTO af_functions (name, latest_version, deleted, updated_at) VALUES (@Name, 0, @Deleted, @At)
        ON CONFLICT (name) DO UPDATE SET name = excluded.name
        """;

    /// <summary>
    /// Makes a function name current with its next version number and returns that number
    /// (parameters: Name, At, NotDeleted = false).
    /// </summary>
    public virtual string NextDefinitionVersionSql => """
        INSERT INTO af_functions (name, latest_version, deleted, updated_at) VALUES (@Name, 1, @NotDeleted, @At)
        ON CONFLICT (name) DO UPDATE SET latest_version = af_functions.latest_version + 1, deleted = @NotDeleted, updated_at = @At
        RETURNING latest_version
        """;

    /// <summary>Wraps a filtered, ordered select so it returns at most @Limit rows.</summary>
    public abstract string Page(string selectWhereOrderBy);

    /// <summary>Converts a timestamp into the value stored in the database.</summary>
    public virtual object ToDb(DateTimeOffset value) => value.UtcDateTime;

    /// <summary>Converts a stored timestamp back.</summary>
    public virtual DateTimeOffset FromDb(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        _ => throw new InvalidCastException($"Cannot read a timestamp from {value.GetType().Name}."),
    };

    /// <summary>Most parameters one statement may carry; list queries are chunked below it.</summary>
    public virtual int MaxParameters => 999;

    /// <summary>
    /// Runs a write. By default on a pooled connection opened for it, inside a transaction only
    /// when <paramref name="transactional"/> (several statements that must land together).
    /// SQLite instead runs every write inside its group-commit transaction; either way the
    /// write must pass the given transaction (null or not) to each command.
    /// </summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> write, bool transactional, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (!transactional)
            {
                return await write(connection, null).ConfigureAwait(false);
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await write(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>
    /// Runs one write statement whose parameters are the public properties of
    /// <paramref name="parameters"/> (as Dapper reads them); true when it changed a row. The hot
    /// writes of every execution come here, so a dialect that keeps its writing connection open
    /// (SQLite) overrides it to reuse each statement's compiled form instead of compiling it again.
    /// </summary>
    public virtual Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0,
            transactional: false,
            cancellationToken);
}
