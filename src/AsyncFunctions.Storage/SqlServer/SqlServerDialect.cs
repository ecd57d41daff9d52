using System.Data.Common;
using AsyncFunctions.Executions;
using Microsoft.Data.SqlClient;

namespace AsyncFunctions.Storage.SqlServer;

/// <summary>
/// SQL Server: datetimeoffset(7) in UTC, nvarchar(max) JSON, OFFSET/FETCH paging, and upserts as
/// UPDATE-then-INSERT in one transaction under UPDLOCK + SERIALIZABLE (HOLDLOCK): the key range of
/// the id stays locked from the UPDATE to the INSERT, so two first writers cannot both insert and
/// a concurrent writer waits instead of reading a row about to change. MERGE is avoided for its
/// history of concurrency bugs; this pair is the documented safe upsert.
/// </summary>
public sealed class SqlServerDialect(string connectionString) : SqlDialect
{
    public string ConnectionString { get; } = connectionString;

    public override DbConnection CreateConnection() => new SqlConnection(ConnectionString);

    public override string CreateSql => """
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        UPDATE af_executions WITH (UPDLOCK, SERIALIZABLE)
        SET function_version = @FunctionVersion,
            input = @Input,
            parent_id = @ParentId,
            root_id = @RootId,
            call_depth = @CallDepth,
            caller_key = @CallerKey,
            caller_role = @CallerRole,
            schedule_name = @Schedule,
            scheduled_for = CAST(@ScheduledFor AS datetimeoffset(7)),
            created_at = CASE WHEN CAST(@At AS datetimeoffset(7)) < created_at THEN CAST(@At AS datetimeoffset(7)) ELSE created_at END
        WHERE id = @Id AND input IS NULL;
        IF @@ROWCOUNT = 0
            INSERT INTO af_executions (id, function_name, function_version, status, phase, status_at, input, parent_id, root_id, call_depth, caller_key, caller_role, created_at, lease_expires_at, schedule_name, scheduled_for)
            SELECT @Id, @Function, @FunctionVersion, @Status, @Phase, CAST(@At AS datetimeoffset(7)), @Input, @ParentId, @RootId, @CallDepth, @CallerKey, @CallerRole, CAST(@At AS datetimeoffset(7)), CAST(@LeaseExpiresAt AS datetimeoffset(7)), @Schedule, CAST(@ScheduledFor AS datetimeoffset(7))
            WHERE NOT EXISTS (SELECT 1 FROM af_executions WITH (UPDLOCK, SERIALIZABLE) WHERE id = @Id);
        COMMIT TRANSACTION;
        """;

    public override string ApplySql { get; } = $"""
        SET XACT_ABORT ON;
        BEGIN TRANSACTION;
        UPDATE af_executions WITH (UPDLOCK, SERIALIZABLE)
        SET status = @Status,
            phase = @Phase,
            status_at = CAST(@At AS datetimeoffset(7)),
            output = @Output,
            error_type = @ErrorType,
            error_message = @ErrorMessage,
            error_code = @ErrorCode,
            error_data = @ErrorData,
            {SuspensionColumnsSql("", "@Phase", "@Attempt")},
            started_at = COALESCE(CAST(@StartedAt AS datetimeoffset(7)), started_at),
            completed_at = CAST(@CompletedAt AS datetimeoffset(7))
        WHERE id = @Id
          AND {ExecutionStatusRules.SupersedesSql("@Phase", "CAST(@At AS datetimeoffset(7))", "phase", "status_at")};
        IF @@ROWCOUNT = 0
            INSERT INTO af_executions (id, function_name, status, phase, status_at, output, error_type, error_message, error_code, error_data,
                                       attempts, created_at, started_at, completed_at)
            SELECT @Id, @Function, @Status, @Phase, CAST(@At AS datetimeoffset(7)), @Output, @ErrorType, @ErrorMessage, @ErrorCode, @ErrorData,
                   @Attempt, CAST(@At AS datetimeoffset(7)), CAST(@StartedAt AS datetimeoffset(7)), CAST(@CompletedAt AS datetimeoffset(7))
            WHERE NOT EXISTS (SELECT 1 FROM af_executions WITH (UPDLOCK, SERIALIZABLE) WHERE id = @Id);
        COMMIT TRANSACTION;
        """;

    /// <summary>
    /// Runs inside the caller's transaction; the key-range lock of UPDLOCK + SERIALIZABLE also
    /// holds off a concurrent insert of a name that does not exist yet.
    /// </summary>
    public override string LockDefinitionSql => """
        SET XACT_ABORT ON;
        UPDATE af_functions WITH (UPDLOCK, SERIALIZABLE) SET latest_version = latest_version WHERE name = @Name;
        IF @@ROWCOUNT = 0
            INSERT INTO af_functions (name, latest_version, deleted, updated_at)
            VALUES (@Name, 0, @Deleted, CAST(@At AS datetimeoffset(7)));
        """;

    /// <summary>
    /// Runs inside the caller's transaction. One result set whatever branch runs: the OUTPUT of
    /// either statement goes to a table variable that the final SELECT returns.
    /// </summary>
    public override string NextDefinitionVersionSql => """
        SET XACT_ABORT ON;
        DECLARE @next TABLE (latest_version int NOT NULL);
        UPDATE af_functions WITH (UPDLOCK, SERIALIZABLE)
        SET latest_version = latest_version + 1, deleted = @NotDeleted, updated_at = CAST(@At AS datetimeoffset(7))
        OUTPUT inserted.latest_version INTO @next
        WHERE name = @Name;
        IF @@ROWCOUNT = 0
            INSERT INTO af_functions (name, latest_version, deleted, updated_at)
            OUTPUT inserted.latest_version INTO @next
            VALUES (@Name, 1, @NotDeleted, CAST(@At AS datetimeoffset(7)));
        SELECT latest_version FROM @next;
        """;

    /// <summary>The key-range lock of UPDLOCK + SERIALIZABLE holds off a concurrent insert of the same key; the primary key stays the last guard.</summary>
    public override string InsertIdempotencyKeySql => """
        INSERT INTO af_idempotency_keys (caller_key, idempotency_key, function_name, request_hash, execution_id, created_at)
        SELECT @CallerKey, @Key, @Function, @RequestHash, NULL, CAST(@At AS datetimeoffset(7))
        WHERE NOT EXISTS (SELECT 1 FROM af_idempotency_keys WITH (UPDLOCK, SERIALIZABLE) WHERE caller_key = @CallerKey AND idempotency_key = @Key);
        """;

    public override string Page(string selectWhereOrderBy) => selectWhereOrderBy + " OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY";

    /// <summary>A UTC <see cref="DateTimeOffset"/>: SqlClient sends it as datetimeoffset(7), where a DateTime would go as datetime.</summary>
    public override object ToDb(DateTimeOffset value) => value.ToUniversalTime();

    /// <summary>SQL Server allows 2,100 parameters per request.</summary>
    public override int MaxParameters => 2000;
}
