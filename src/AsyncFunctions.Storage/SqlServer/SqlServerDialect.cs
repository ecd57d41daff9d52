using System.Data.Common;
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

    /// <summary>Takes the migration lock for the session; waits as long as the command may run (parameters: Resource).</summary>
    public const string AcquireMigrationLockSql = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = @Resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
        IF @result < 0 THROW 50000, N'Could not take the AsyncFunctions migration lock.', 1;
        """;

    /// <summary>The most connections the server accepts at once (0 in the setting means the maximum, 32,767).</summary>
    public const string MaxConnectionsSql = "SELECT @@MAX_CONNECTIONS";

    /// <summary>Releases the migration lock (parameters: Resource).</summary>
    public const string ReleaseMigrationLockSql = "EXEC sp_releaseapplock @Resource = @Resource, @LockOwner = N'Session';";

    /// <summary>
    /// UPDATE, then INSERT when no row was there, in one transaction of its own; without
    /// <see cref="UpsertStatement.Set"/>, the INSERT alone. The stored row's columns are named
    /// bare, the incoming values are the insert's own expressions.
    /// </summary>
    public override string Upsert(UpsertStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var key = string.Join(" AND ", statement.Keys.Select(k => $"{k} = {statement.ValueOf(k)}"));
        var insert = $"""
            INSERT INTO {statement.Table} ({statement.ColumnList})
            SELECT {statement.ValueList}
            WHERE NOT EXISTS (SELECT 1 FROM {statement.Table} WITH (UPDLOCK, SERIALIZABLE) WHERE {key});
            """;
        if (statement.Set is null)
        {
            return insert;
        }

        var row = new UpsertRow(statement.ValueOf, column => column);
        var when = statement.When is null ? "" : $" AND {statement.When(row)}";
        return $"""
            SET XACT_ABORT ON;
            BEGIN TRANSACTION;
            UPDATE {statement.Table} WITH (UPDLOCK, SERIALIZABLE)
            SET {statement.Set(row)}
            WHERE {key}{when};
            IF @@ROWCOUNT = 0
            {insert}
            COMMIT TRANSACTION;
            """;
    }

    /// <summary>SqlClient sends a null as nvarchar; the cast keeps comparisons and CASE expressions on datetimeoffset.</summary>
    public override string Timestamp(string parameter) => $"CAST({parameter} AS datetimeoffset(7))";

    /// <summary>LEAST exists only from SQL Server 2022 on.</summary>
    public override string Earlier(string first, string second) => $"CASE WHEN {second} < {first} THEN {second} ELSE {first} END";

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

    /// <summary>
    /// A node's id is new at every start and only the node itself writes its beats, so an UPDATE
    /// that found no row is followed by a plain INSERT; one result set either way.
    /// </summary>
    public override string NodeBeatSql => """
        SET XACT_ABORT ON;
        DECLARE @beat TABLE (Beats bigint NOT NULL, TakenOverBeats bigint NULL, TakenOverBy nvarchar(200) NULL);
        UPDATE af_nodes SET server_id = @Server, last_heartbeat_at = CAST(@At AS datetimeoffset(7)), beats = beats + 1
        OUTPUT inserted.beats, inserted.taken_over_beats, inserted.taken_over_by INTO @beat
        WHERE node_id = @Node;
        IF @@ROWCOUNT = 0
            INSERT INTO af_nodes (node_id, server_id, started_at, last_heartbeat_at, beats)
            OUTPUT inserted.beats, inserted.taken_over_beats, inserted.taken_over_by INTO @beat
            VALUES (@Node, @Server, CAST(@StartedAt AS datetimeoffset(7)), CAST(@At AS datetimeoffset(7)), 1);
        SELECT Beats, TakenOverBeats, TakenOverBy FROM @beat;
        """;

    /// <summary>SQL Server has no ON CONFLICT: the key range is locked while the row is looked for, so two starts cannot both insert it.</summary>
    public override string DebounceReserveSql => """
        INSERT INTO af_debounces (function_name, debounce_key, execution_id, run_at, reserved_at)
        SELECT @Function, @Key, NULL, CAST(@RunAt AS datetimeoffset(7)), CAST(@Now AS datetimeoffset(7))
        WHERE NOT EXISTS (SELECT 1 FROM af_debounces WITH (UPDLOCK, HOLDLOCK) WHERE function_name = @Function AND debounce_key = @Key)
        """;

    public override string Page(string selectWhereOrderBy) => selectWhereOrderBy + " OFFSET 0 ROWS FETCH NEXT @Limit ROWS ONLY";

    public override string HangfireTable(string schema, string table) => $"[{schema}].{table}";

    /// <summary>Hangfire.SqlServer writes FetchedAt with GETUTCDATE().</summary>
    public override string SecondsSince(string column) => $"DATEDIFF_BIG(millisecond, {column}, GETUTCDATE()) / 1000.0";

    public override string SecondsFromNow(string secondsParameter) => $"DATEADD(millisecond, CAST({secondsParameter} * 1000 AS int), GETUTCDATE())";

    /// <summary>A UTC <see cref="DateTimeOffset"/>: SqlClient sends it as datetimeoffset(7), where a DateTime would go as datetime.</summary>
    public override object ToDb(DateTimeOffset value) => value.ToUniversalTime();

    /// <summary>SQL Server allows 2,100 parameters per request.</summary>
    public override int MaxParameters => 2000;
}
