using System.Data.Common;
using AsyncFunctions.Executions;
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
    private readonly PostgreSqlGroupCommitWriter? _writer;

    /// <param name="enlist">
    /// Connections enlist in an ambient TransactionScope (<c>Enlist=true</c>): how a job's creation
    /// and its row share one transaction when Hangfire takes its connections from
    /// <see cref="CreateNpgsqlConnection"/> too. Without a scope nothing changes.
    /// </param>
    /// <param name="groupCommit">
    /// An execution's creation and status writes are committed in batches by one writer
    /// (<see cref="PostgreSqlGroupCommitWriter"/>) instead of one autocommitted statement each.
    /// For results beside jobs in another storage: a batch cannot join a job's transaction, so
    /// it excludes <paramref name="enlist"/>.
    /// </param>
    /// <param name="maxPoolSize">
    /// The most connections the pool opens (<c>Maximum Pool Size</c>); a caller past it waits for a
    /// free one, up to the connection string's <c>Timeout</c>. Null keeps the connection string's.
    /// </param>
    public PostgreSqlDialect(string connectionString, bool enlist = false, bool groupCommit = false, int? maxPoolSize = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (enlist && groupCommit)
        {
            throw new ArgumentException("Group-committed writes cannot join a job's transaction; choose one of enlist and groupCommit.", nameof(groupCommit));
        }

        ConnectionString = connectionString;
        var builder = new NpgsqlConnectionStringBuilder(ResultsConnectionString(connectionString));
        if (enlist)
        {
            builder.Enlist = true;
        }

        if (maxPoolSize is { } max)
        {
            builder.MaxPoolSize = max;
            builder.MinPoolSize = Math.Min(builder.MinPoolSize, max);
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _writer = groupCommit ? new PostgreSqlGroupCommitWriter(_dataSource) : null;
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

    /// <summary>A connection of the results table's pool, for Hangfire to share it (see the constructor's <c>enlist</c>).</summary>
    public NpgsqlConnection CreateNpgsqlConnection() => _dataSource.CreateConnection();

    /// <summary>A null timestamp parameter has no type Npgsql could send; the cast gives it one.</summary>
    public override string NullableTimestamp(string parameter) => $"CAST({parameter} AS timestamptz)";

    // RETURNING runs once per row the statement wrote, so NOTIFY fires only for a write that the
    // monotonic rule let through and that finished the execution; it is sent on commit.
    public override string AfterApply =>
        $"\nRETURNING CASE WHEN {UpsertStatement.StoredAlias}.phase = {ExecutionStatusRules.FinishedPhase} THEN pg_notify('{NotificationChannel}', {UpsertStatement.StoredAlias}.id) END";

    /// <summary>Subscribes the listening connection to the notifications of finished executions.</summary>
    public const string ListenSql = $"LISTEN {NotificationChannel}";

    /// <summary>Proves the listening connection alive while no notification arrives.</summary>
    public const string KeepAliveSql = "SELECT 1";

    /// <summary>
    /// The executions finished since @Since (parameters: Since): after a reconnect they stand in
    /// for the notifications sent while nobody listened.
    /// </summary>
    public static readonly string FinishedSinceSql = $"SELECT id FROM af_executions WHERE phase = {ExecutionStatusRules.FinishedPhase} AND completed_at >= @Since";

    /// <summary>
    /// What the server accepts from this login: max_connections, the slots reserved for superusers
    /// (and, from PostgreSQL 16, for roles with pg_use_reserved_connections), whether this login is
    /// a superuser, and its role's own connection limit (-1: none).
    /// </summary>
    public const string ConnectionLimitsSql = """
        SELECT current_setting('max_connections')::int AS MaxConnections,
               current_setting('superuser_reserved_connections')::int AS SuperuserReserved,
               COALESCE(NULLIF(current_setting('reserved_connections', true), '')::int, 0) AS Reserved,
               r.rolsuper AS IsSuperuser,
               r.rolconnlimit AS RoleLimit
        FROM pg_roles r WHERE r.rolname = current_user
        """;

    /// <summary>Takes the session advisory lock that serializes migrations of all nodes (parameters: Key).</summary>
    public const string TakeMigrationLockSql = "SELECT pg_advisory_lock(@Key)";

    /// <summary>Releases the migration lock (parameters: Key).</summary>
    public const string ReleaseMigrationLockSql = "SELECT pg_advisory_unlock(@Key)";

    /// <summary>Dapper sends a list to Npgsql as one array parameter, which <c>= ANY</c> takes.</summary>
    public override string InList(string column, string listParameter) => $"{column} = ANY({listParameter})";

    /// <summary>JSON travels as a text parameter; the cast stores it in a json column as written.</summary>
    public override string Json(string parameter) => $"CAST({parameter} AS json)";

    public override string Page(string selectWhereOrderBy) => selectWhereOrderBy + " LIMIT @Limit";

    /// <summary>Hangfire.PostgreSql quotes its schema's name, so a mixed-case name keeps its case.</summary>
    public override string HangfireTable(string schema, string table) => $"\"{schema}\".{table}";

    /// <summary>A UTC <see cref="DateTime"/>, which Npgsql sends as timestamptz.</summary>
    public override object ToDb(DateTimeOffset value) => value.UtcDateTime;

    /// <summary>PostgreSQL allows 65,535 parameters; smaller chunks keep each batched read cheap to plan.</summary>
    public override int MaxParameters => 2000;

    /// <summary>Whether the hot row writes are group-committed (see the constructor).</summary>
    public bool GroupCommits => _writer is not null;

    /// <summary>Batches the group-commit writer committed so far (0 without it).</summary>
    public long Commits => _writer?.Commits ?? 0;

    /// <summary>With group commit, through the writer; each caller completes once its batch is durable.</summary>
    public override Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        _writer is { } writer ? writer.WriteRowAsync(sql, parameters, cancellationToken) : base.WriteRowAsync(sql, parameters, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        return _dataSource.DisposeAsync();
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _dataSource.Dispose();
    }
}
