using System.Data.Common;
using System.Transactions;
using AsyncFunctions.Executions;
using Dapper;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>
/// PostgreSQL: timestamptz, <c>json</c> columns (kept as written, see db/postgresql), upserts with
/// ON CONFLICT, LIMIT paging. A status write that finishes an execution is followed by a NOTIFY on
/// <see cref="NotificationChannel"/> once it committed, never for a write the monotonic rule
/// rejected: sent after the commit, many at once, by <see cref="PostgreSqlCompletionNotifier"/>,
/// or (with <c>notifyAfterCommit</c> false, and for group-committed writes, whose batch is already
/// one commit) from the write statement itself.
/// </summary>
public sealed class PostgreSqlDialect : SqlDialect, IAsyncDisposable, IDisposable
{
    /// <summary>The channel every node listens on; the payload is the execution id.</summary>
    public const string NotificationChannel = "asyncfunctions_executions";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlGroupCommitWriter? _writer;
    private readonly PostgreSqlCompletionNotifier? _notifier;

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
    /// <param name="notifyAfterCommit">
    /// A finished status's notification is sent after its write committed, batched with others by
    /// one loop (<see cref="PostgreSqlCompletionNotifier"/>), so the write itself commits without
    /// PostgreSQL's NOTIFY lock. False: the write statement sends it (<c>pg_notify</c> in its
    /// RETURNING clause). Group-committed writes always notify from their batch.
    /// </param>
    public PostgreSqlDialect(string connectionString, bool enlist = false, bool groupCommit = false, int? maxPoolSize = null, bool notifyAfterCommit = false)
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
        _notifier = notifyAfterCommit && !groupCommit ? new PostgreSqlCompletionNotifier(_dataSource) : null;
    }

    /// <summary>The loop sending notifications after commit, when this dialect has one (for tests and the benchmark).</summary>
    internal PostgreSqlCompletionNotifier? Notifier => _notifier;

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
    // monotonic rule let through and that finished the execution; it is sent on commit. With the
    // notifier the statement instead returns the id of a finished row ('' for another applied
    // write, no row for a rejected one), and the notifier sends it once the write committed.
    public override string AfterApply => _notifier is null
        ? $"\nRETURNING CASE WHEN {UpsertStatement.StoredAlias}.phase = {ExecutionStatusRules.FinishedPhase} THEN pg_notify('{NotificationChannel}', {UpsertStatement.StoredAlias}.id) END"
        : $"\nRETURNING CASE WHEN {UpsertStatement.StoredAlias}.phase = {ExecutionStatusRules.FinishedPhase} THEN {UpsertStatement.StoredAlias}.id ELSE '' END";

    /// <summary>Notifies every node of the finished executions @Ids (a text array), one notification each, in one transaction.</summary>
    public const string NotifyFinishedSql = $"SELECT pg_notify('{NotificationChannel}', id) FROM unnest(@Ids) AS id";

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

    /// <summary>
    /// Takes one of Hangfire.PostgreSql's distributed locks in one statement: a row of its
    /// <c>lock</c> table (unique per resource), inserted unless one is there, after deleting one
    /// older than @Expired (a holder that never let go). Returns 1 when taken, 0 when held. The
    /// commit does not wait for its WAL flush (<c>synchronous_commit</c> off for this transaction
    /// only): other sessions see the row at once, and a lock row lost in a server crash is a lock
    /// given back, as every holder's session died with the server (parameters: Resource, Acquired,
    /// Expired; the resource as Hangfire.PostgreSql names it, with the schema in front).
    /// </summary>
    public static string TakeHangfireLockSql(string hangfireSchema) => $"""
        WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
             expired AS (DELETE FROM "{hangfireSchema}"."lock" WHERE "resource" = @Resource AND "acquired" < @Expired),
             taken AS (INSERT INTO "{hangfireSchema}"."lock" ("resource", "acquired") VALUES (@Resource, @Acquired) ON CONFLICT DO NOTHING RETURNING 1)
        SELECT (SELECT COUNT(*) FROM taken) FROM unflushed
        """;

    /// <summary>
    /// Gives back a lock <see cref="TakeHangfireLockSql"/> took, in one statement whose commit does
    /// not wait for its WAL flush either: a release lost in a server crash leaves a row that the
    /// next taker deletes once it is older than Hangfire.PostgreSql's <c>DistributedLockTimeout</c>
    /// (parameters: Resource).
    /// </summary>
    public static string ReleaseHangfireLockSql(string hangfireSchema) => $"""
        WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
             released AS (DELETE FROM "{hangfireSchema}"."lock" WHERE "resource" = @Resource RETURNING 1)
        SELECT (SELECT COUNT(*) FROM released) FROM unflushed
        """;

    /// <summary>The channel Hangfire.PostgreSql notifies on every enqueue (with its <c>EnableLongPolling</c>).</summary>
    public const string HangfireJobChannel = "new_job";

    /// <summary>Subscribes a node's one job listener to Hangfire.PostgreSql's enqueue notifications.</summary>
    public const string ListenForJobsSql = $"LISTEN {HangfireJobChannel}";

    /// <summary>
    /// Claims the next job of @Queues (a text array, in priority order) in Hangfire.PostgreSql's queue
    /// table with its <c>fetchedat</c> claim, in one statement whose commit does not wait for its WAL
    /// flush: a claim lost in a server crash leaves the job unclaimed, to be fetched again. The first
    /// listed queue with an unclaimed entry wins, oldest job first within it (Hangfire.PostgreSql's
    /// own fetch orders queues by name instead). Each queue is one probe of the index
    /// <c>(fetchedat NULLS FIRST, queue, jobid)</c>, made in the listed order (a function scan
    /// WITH ORDINALITY is ordered by its ordinality, so nothing is sorted) and only until one finds
    /// an entry, so the claimer locks no entry of a later queue. Only when no listed queue has an
    /// unclaimed entry is a claim older than @Invisibility taken over, the oldest first. Returns no
    /// row when nothing is queued; otherwise the claimed entry and whether another unclaimed entry
    /// of @Queues is waiting (More, one probe per queue too), so the claimer can wake a second worker
    /// for it.
    /// </summary>
    public static string ClaimHangfireJobSql(string hangfireSchema) => ClaimHangfireJob(
        hangfireSchema,
        unclaimed: $"""
            SELECT e."id"
                         FROM unnest(CAST(@Queues AS text[])) WITH ORDINALITY AS listed("queue", "rank")
                         CROSS JOIN LATERAL (
                            SELECT q."id" FROM "{hangfireSchema}"."jobqueue" q
                            WHERE q."fetchedat" IS NULL AND q."queue" = listed."queue"
                            ORDER BY q."fetchedat" NULLS FIRST, q."queue", q."jobid"
                            LIMIT 1
                            FOR UPDATE SKIP LOCKED) e
                         ORDER BY listed."rank"
                         LIMIT 1
            """,
        waiting: $"""
            SELECT 1 FROM unnest(CAST(@Queues AS text[])) AS listed("queue")
                               CROSS JOIN LATERAL (
                                  SELECT 1 FROM "{hangfireSchema}"."jobqueue" q
                                  WHERE q."fetchedat" IS NULL AND q."queue" = listed."queue" AND q."id" <> c."id"
                                  ORDER BY q."fetchedat" NULLS FIRST, q."queue", q."jobid"
                                  LIMIT 1) w
            """);

    /// <summary>
    /// <see cref="ClaimHangfireJobSql"/> for a worker of one queue (@Queues holds one name): the same
    /// claim, its two probes on that queue alone, with no list to walk: as cheap as
    /// Hangfire.PostgreSql's own statement.
    /// </summary>
    public static string ClaimHangfireJobOfOneQueueSql(string hangfireSchema) => ClaimHangfireJob(
        hangfireSchema,
        unclaimed: $"""
            SELECT q."id" FROM "{hangfireSchema}"."jobqueue" q
                         WHERE q."fetchedat" IS NULL AND q."queue" = (CAST(@Queues AS text[]))[1]
                         ORDER BY q."fetchedat" NULLS FIRST, q."queue", q."jobid"
                         LIMIT 1
                         FOR UPDATE SKIP LOCKED
            """,
        waiting: $"""
            SELECT 1 FROM "{hangfireSchema}"."jobqueue" q
                               WHERE q."fetchedat" IS NULL AND q."queue" = (CAST(@Queues AS text[]))[1] AND q."id" <> c."id"
                               ORDER BY q."fetchedat" NULLS FIRST, q."queue", q."jobid"
                               LIMIT 1
            """);

    /// <summary>
    /// The claim around <paramref name="unclaimed"/>, a query of the id of the unclaimed entry to claim,
    /// and <paramref name="waiting"/>, a query with a row when an entry other than the claimed one
    /// (<c>c</c>) waits unclaimed.
    /// </summary>
    private static string ClaimHangfireJob(string hangfireSchema, string unclaimed, string waiting) => $"""
        WITH unflushed AS (SELECT set_config('synchronous_commit', 'off', true) AS setting),
             claimed AS (
                UPDATE "{hangfireSchema}"."jobqueue" SET "fetchedat" = NOW()
                WHERE "id" = COALESCE(
                    ({unclaimed}),
                    (SELECT q."id" FROM "{hangfireSchema}"."jobqueue" q
                     WHERE q."queue" = ANY(@Queues) AND q."fetchedat" < NOW() - @Invisibility
                     ORDER BY q."fetchedat" NULLS FIRST, q."queue", q."jobid"
                     LIMIT 1
                     FOR UPDATE SKIP LOCKED))
                RETURNING "id", "jobid", "queue", "fetchedat")
        SELECT c."id" AS Id, c."jobid" AS JobId, c."queue" AS Queue, c."fetchedat" AS FetchedAt,
               EXISTS ({waiting}) AS More
        FROM claimed c CROSS JOIN unflushed
        """;

    /// <summary>A release and its hand-over in one round trip (data-modifying <c>WITH</c>).</summary>
    public override string? ReleaseAndGrantSql(bool suspending) => DataModifyingReleaseAndGrantSql(suspending);

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
    public override Task<bool> WriteRowAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        if (_writer is { } writer)
        {
            return writer.WriteRowAsync(sql, parameters, cancellationToken);
        }

        return _notifier is { } notifier && string.Equals(sql, ApplySql, StringComparison.Ordinal)
            ? ApplyThenNotifyAsync(notifier, sql, parameters, cancellationToken)
            : base.WriteRowAsync(sql, parameters, cancellationToken);
    }

    /// <summary>
    /// The status upsert; a finished row is handed to the notifier once it committed: at once for an
    /// autocommitted write, when the ambient transaction commits for one enlisted in it (a job's
    /// state change whose row commits with it), never when that transaction rolls back.
    /// </summary>
    private async Task<bool> ApplyThenNotifyAsync(PostgreSqlCompletionNotifier notifier, string sql, object parameters, CancellationToken cancellationToken)
    {
        // Taken before the first await: the scope is the caller thread's, and the connection enlists in it on opening.
        var ambient = Transaction.Current;
        var finished = await WriteAsync(
            (connection, transaction) => connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)),
            transactional: false,
            cancellationToken).ConfigureAwait(false);
        if (finished is null)
        {
            return false;
        }

        if (finished.Length > 0)
        {
            if (ambient is null)
            {
                notifier.Add(finished);
            }
            else
            {
                ambient.TransactionCompleted += (_, e) =>
                {
                    if (e.Transaction?.TransactionInformation.Status == TransactionStatus.Committed)
                    {
                        notifier.Add(finished);
                    }
                };
            }
        }

        return true;
    }

    public ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        _notifier?.Dispose();
        return _dataSource.DisposeAsync();
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _notifier?.Dispose();
        _dataSource.Dispose();
    }
}
