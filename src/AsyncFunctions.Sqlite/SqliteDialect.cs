using System.Data.Common;
using AsyncFunctions.Hangfire.Storage;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Sqlite;

/// <summary>
/// SQLite: timestamps as integer microseconds, upserts with ON CONFLICT, LIMIT paging, and one
/// writer at a time (SQLite allows only one; queuing here beats spinning on SQLITE_BUSY).
/// </summary>
public sealed class SqliteDialect(string connectionString) : SqlDialect, IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private SqliteConnection? _writerConnection;
    private bool _disposed;

    public string ConnectionString { get; } = connectionString;

    public override DbConnection CreateConnection() => new SqliteConnection(ConnectionString);

    public override string CreateSql => """
        INSERT INTO af_executions (id, function_name, function_version, status, phase, status_at, input, parent_id, call_depth, created_at)
        VALUES (@Id, @Function, @FunctionVersion, @Status, @Phase, @At, @Input, @ParentId, @CallDepth, @At)
        ON CONFLICT (id) DO UPDATE SET
            function_version = excluded.function_version,
            input = excluded.input,
            parent_id = excluded.parent_id,
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
        WHERE excluded.status_at > af_executions.status_at
           OR (excluded.status_at = af_executions.status_at AND excluded.phase > af_executions.phase)
        """;

    public override string Page(string selectWhereOrderBy) => selectWhereOrderBy + " LIMIT @Limit";

    public override object ToDb(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public override DateTimeOffset FromDb(object value) =>
        DateTimeOffset.UnixEpoch.AddTicks(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) * TimeSpan.TicksPerMicrosecond);

    public override async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        await _writer.WaitAsync().ConfigureAwait(false);
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Every write goes through one long-lived connection, one at a time: SQLite has a single
    /// writer anyway, and this saves opening a connection and setting it up for each write.
    /// </summary>
    public override async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _writerConnection ??= await OpenWriterAsync(cancellationToken).ConfigureAwait(false);
            return await write(_writerConnection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException && _writerConnection is not null)
        {
            // Start the next write on a fresh connection rather than one left in an unknown state.
            await _writerConnection!.DisposeAsync().ConfigureAwait(false);
            _writerConnection = null;
            throw;
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose()
    {
        _writer.Wait();
        try
        {
            _disposed = true;
            _writerConnection?.Dispose();
            _writerConnection = null;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // WAL with synchronous=NORMAL survives a process crash without loss; only a power cut may
        // drop the last commits. It is several times faster than FULL for one-row commits.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
