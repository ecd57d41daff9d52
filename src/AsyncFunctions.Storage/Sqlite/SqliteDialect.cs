using System.Data.Common;
using AsyncFunctions.Storage;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Sqlite;

/// <summary>
/// SQLite: timestamps as integer microseconds, upserts with ON CONFLICT, LIMIT paging, and one
/// group-commit writer (SQLite allows only one writer; batching beats taking turns or spinning on SQLITE_BUSY).
/// </summary>
public sealed class SqliteDialect(string connectionString) : SqlDialect, IDisposable
{
    private readonly SqliteGroupCommitWriter _writer = new(connectionString);

    public string ConnectionString { get; } = connectionString;

    public override DbConnection CreateConnection() => new SqliteConnection(ConnectionString);

    public override string CreateSql => """
        INSERT INTO af_executions (id, function_name, function_version, status, phase, status_at, input, parent_id, root_id, call_depth, created_at, lease_expires_at)
        VALUES (@Id, @Function, @FunctionVersion, @Status, @Phase, @At, @Input, @ParentId, @RootId, @CallDepth, @At, @LeaseExpiresAt)
        ON CONFLICT (id) DO UPDATE SET
            function_version = excluded.function_version,
            input = excluded.input,
            parent_id = excluded.parent_id,
            root_id = excluded.root_id,
            call_depth = excluded.call_depth,
            created_at = MIN(af_executions.created_at, excluded.created_at)
        WHERE af_executions.input IS NULL
        """;

    public override string ApplySql => """
        INSERT INTO af_executions (id, function_name, status, phase, status_at, output, error_type, error_message, error_code, error_data,
                                   attempts, created_at, started_at, completed_at)
        VALUES (@Id, @Function, @Status, @Phase, @At, @Output, @ErrorType, @ErrorMessage, @ErrorCode, @ErrorData,
                @Attempt, @At, @StartedAt, @CompletedAt)
        ON CONFLICT (id) DO UPDATE SET
            status = excluded.status,
            phase = excluded.phase,
            status_at = excluded.status_at,
            output = excluded.output,
            error_type = excluded.error_type,
            error_message = excluded.error_message,
            error_code = excluded.error_code,
            error_data = excluded.error_data,
            attempts = af_executions.attempts + excluded.attempts,
            started_at = COALESCE(excluded.started_at, af_executions.started_at),
            completed_at = excluded.completed_at
        WHERE (excluded.phase > af_executions.phase AND af_executions.phase < 3)
           OR (excluded.phase < 3 AND excluded.status_at > af_executions.status_at)
        """;

    public override string Page(string selectWhereOrderBy) => selectWhereOrderBy + " LIMIT @Limit";

    public override object ToDb(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public override DateTimeOffset FromDb(object value) =>
        DateTimeOffset.UnixEpoch.AddTicks(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) * TimeSpan.TicksPerMicrosecond);

    /// <summary>Every write goes through one group-commit writer; see <see cref="SqliteGroupCommitWriter"/>.</summary>
    public override Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> write, bool transactional, CancellationToken cancellationToken) =>
        _writer.WriteAsync(write, cancellationToken);

    public void Dispose() => _writer.Dispose();
}
