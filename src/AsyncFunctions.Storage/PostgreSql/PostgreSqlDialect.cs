using System.Data.Common;
using AsyncFunctions.Storage;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// PostgreSQL: timestamptz, <c>json</c> columns (kept as written, see db/postgresql), upserts with
/// ON CONFLICT, LIMIT paging. A status write that finishes an execution also sends a NOTIFY on
/// <see cref="NotificationChannel"/> from the same statement, so the notification is delivered
/// exactly when the row commits and never for a write the monotonic rule rejected.
/// </summary>
public sealed class PostgreSqlDialect : SqlDialect, IAsyncDisposable, IDisposable
{
    /// <summary>The channel every node listens on; the payload is the execution id.</summary>
    public const string NotificationChannel = "asyncfunctions_executions";

    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlDialect(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ConnectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(ResultsConnectionString(connectionString));
    }

    /// <summary>
    /// The results store keeps no session state, so a pooled connection need not be reset with
    /// DISCARD ALL on every return (one round trip per statement saved), and its few statements
    /// are prepared automatically. Either setting given in the connection string wins.
    /// </summary>
    internal static string ResultsConnectionString(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("NORESETONCLOSE"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MAXAUTOPREPARE"))
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
    }

    public string ConnectionString { get; }

    public override DbConnection CreateConnection() => _dataSource.CreateConnection();

    // JSON travels as text parameters; the casts store it in json columns exactly as written.
    public override string CreateSql => """
        INSERT INTO af_executions AS e (id, function_name, function_version, status, phase, status_at, input, parent_id, root_id, call_depth, created_at, lease_expires_at)
        VALUES (@Id, @Function, @FunctionVersion, @Status, @Phase, @At, CAST(@Input AS json), @ParentId, @RootId, @CallDepth, @At, CAST(@LeaseExpiresAt AS timestamptz))
        ON CONFLICT (id) DO UPDATE SET
            function_version = EXCLUDED.function_version,
            input = EXCLUDED.input,
            parent_id = EXCLUDED.parent_id,
            root_id = EXCLUDED.root_id,
            call_depth = EXCLUDED.call_depth,
            created_at = LEAST(e.created_at, EXCLUDED.created_at)
        WHERE e.input IS NULL
        """;

    // RETURNING runs once per row the statement wrote, so NOTIFY fires only for a write that the
    // monotonic rule let through and that finished the execution; it is sent on commit.
    public override string ApplySql => $"""
        INSERT INTO af_executions AS e (id, function_name, status, phase, status_at, output, error_type, error_message, error_code, error_data,
                                        attempts, created_at, started_at, completed_at)
        VALUES (@Id, @Function, @Status, @Phase, @At, CAST(@Output AS json), @ErrorType, @ErrorMessage, @ErrorCode, CAST(@ErrorData AS json),
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
            attempts = e.attempts + EXCLUDED.attempts,
            started_at = COALESCE(EXCLUDED.started_at, e.started_at),
            completed_at = EXCLUDED.completed_at
        WHERE (EXCLUDED.phase > e.phase AND e.phase < 3)
           OR (EXCLUDED.phase < 3 AND EXCLUDED.status_at > e.status_at)
        RETURNING CASE WHEN e.phase = 3 THEN pg_notify('{NotificationChannel}', e.id) END
        """;

    /// <summary>Dapper sends a list to Npgsql as one array parameter, which <c>= ANY</c> takes.</summary>
    public override string InList(string column, string listParameter) => $"{column} = ANY({listParameter})";

    /// <summary>JSON travels as a text parameter; the cast stores it in a json column as written.</summary>
    public override string Json(string parameter) => $"CAST({parameter} AS json)";

    public override string Page(string selectWhereOrderBy) => selectWhereOrderBy + " LIMIT @Limit";

    /// <summary>A UTC <see cref="DateTime"/>, which Npgsql sends as timestamptz.</summary>
    public override object ToDb(DateTimeOffset value) => value.UtcDateTime;

    /// <summary>PostgreSQL allows 65,535 parameters; smaller chunks keep each batched read cheap to plan.</summary>
    public override int MaxParameters => 2000;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
