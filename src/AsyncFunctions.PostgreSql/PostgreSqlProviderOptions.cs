using AsyncFunctions.Hangfire.Storage;
using Hangfire.PostgreSql;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Settings of the PostgreSQL provider; the server binds them from <c>AsyncFunctions:Storage:PostgreSql</c>.
/// The defaults favour latency: a job queued on one node starts on another within milliseconds.
/// </summary>
public sealed class PostgreSqlProviderOptions
{
    public const string Section = "AsyncFunctions:Storage:PostgreSql";

    /// <summary>Schema of Hangfire's tables.</summary>
    public string HangfireSchemaName { get; set; } = "hangfire";

    /// <summary>
    /// How often an idle worker looks for a job when no notification woke it (Hangfire.PostgreSql's
    /// default is 15 s; its minimum 50 ms). With <see cref="EnableLongPolling"/> this is only the
    /// fallback for a job no notification announced: one enqueued while the node's listener
    /// reconnects, or a claim of a dead worker that expired. Of a node's idle workers that fetch
    /// from the same queues one polls on this interval and the others once per ten intervals: about
    /// 30 small statements per second for an idle node of 20 workers at 100 ms.
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Enqueueing sends a NOTIFY (LISTEN/NOTIFY) that one listening connection per node hears; it
    /// wakes one idle worker of each of that node's queue groups (its shared workers, each queue
    /// with workers of its own), which wakes another while jobs are left, instead of the workers
    /// waiting for the next poll.
    /// </summary>
    public bool EnableLongPolling { get; set; } = true;

    /// <summary>
    /// How long a fetched job stays invisible to other workers. With
    /// <see cref="UseSlidingInvisibilityTimeout"/> the running worker renews it every fifth of this
    /// time, so it is also how soon a job of a crashed node runs again elsewhere, and how soon a
    /// job that a worker fetched but never started is taken again: under CPU contention
    /// Hangfire.PostgreSql was seen to leave one fetched job in about 30,000 neither started nor
    /// released. One minute (Hangfire.PostgreSql's default is five) bounds that delay. Whole seconds.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Renew the invisibility of running jobs (off by default in Hangfire.PostgreSql, where a job
    /// running longer than the timeout would start a second time on another worker).
    /// </summary>
    public bool UseSlidingInvisibilityTimeout { get; set; } = true;

    /// <summary>
    /// When Hangfire.PostgreSql takes over a lock its holder never released: a node killed in the
    /// middle of a job's state change leaves that job's lock behind, and nothing can change the
    /// job (run it, resume it, schedule it) until then. Hangfire.PostgreSql's default is 10
    /// minutes; state changes hold their lock for milliseconds, so one minute is ample.
    /// </summary>
    public TimeSpan DistributedLockTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Who creates Hangfire's tables; see <see cref="HangfireSchemaSetup"/>.</summary>
    public HangfireSchemaSetup HangfireSchema { get; set; } = HangfireSchemaSetup.WithMigrations;

    /// <summary>
    /// Listen for finished executions on one dedicated connection per node, so an await wakes as
    /// soon as another node commits the result. Off, awaits rely on the results-table poll alone.
    /// </summary>
    public bool ListenForCompletions { get; set; } = true;

    /// <summary>Longest pause between reconnection attempts of the listening connection.</summary>
    public TimeSpan ListenerMaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A job's creation and its execution row commit together, in one transaction on one
    /// connection: the job is created inside a TransactionScope, which Hangfire.PostgreSql joins
    /// (its <c>EnableTransactionScopeEnlistment</c>, on by default), and Hangfire takes its
    /// connections from the results table's pool (with <c>Enlist=true</c>), where Npgsql hands a
    /// connection closed inside the scope to the next one opened in it. The scope therefore never
    /// holds a second connection, which would need a prepared (two-phase) transaction. One commit
    /// per start instead of three, and a failure in between leaves neither the row nor the job.
    /// On by default. False: the row commits on its own just before Hangfire's transaction, as on
    /// the other storages. Off as well where the writes are group-committed
    /// (<see cref="GroupCommitWrites"/> true), whose batches cannot join a job's transaction, and
    /// where another storage holds the jobs.
    /// </summary>
    public bool CreateJobsInOneTransaction { get; set; } = true;

    /// <summary>Whether starts create their job and row in one transaction: asked for, and not excluded by group-committed writes.</summary>
    internal bool OneTransactionStarts => CreateJobsInOneTransaction && GroupCommitWrites != true;

    /// <summary>
    /// Commit an execution's creation and status writes in batches: one writer per node sends every
    /// write waiting at that moment as one batch, one round trip and one commit, and completes its
    /// callers once the batch is durable. Unset (the default), it is on when the jobs are in another
    /// storage (<c>AsyncFunctions:Storage:Jobs:Provider</c> Redis), where these writes are most of
    /// an execution's cost, and off when the jobs are in PostgreSQL too. True with the jobs in
    /// PostgreSQL turns <see cref="CreateJobsInOneTransaction"/> off: a batch cannot join a job's transaction.
    /// </summary>
    public bool? GroupCommitWrites { get; set; }

    /// <summary>
    /// The most connections this node's one pool opens. Hangfire and the results store share it
    /// (it replaces a <c>Maximum Pool Size</c> in the connection string); a caller past it waits
    /// for a free connection, up to the connection string's <c>Timeout</c> (15 s by default), and
    /// only then fails, with a 503 over HTTP. Outside the pool a node also holds one listening
    /// connection for new jobs (<see cref="EnableLongPolling"/>, on a node with workers) and one for
    /// <see cref="ListenForCompletions"/>. Must exceed the node's <c>AsyncFunctions:Server:WorkerCount</c>:
    /// a worker changing a job's state holds a connection for Hangfire's lock while it writes the
    /// result on another. The default, 25, lets three nodes of 20 workers share a server left at
    /// PostgreSQL's default max_connections of 100.
    /// </summary>
    public int MaxPoolSize { get; set; } = 25;

    /// <summary>
    /// How many nodes share the database, for the start-up check that all of them together stay
    /// within the server's max_connections (<see cref="CheckConnectionLimit"/>).
    /// </summary>
    public int Nodes { get; set; } = 1;

    /// <summary>
    /// At start-up, read max_connections (less the reserved slots and the role's own limit) and fail
    /// when <see cref="Nodes"/> nodes could open more than that. Off for a connection pooler in front
    /// of the server, whose own limit the check cannot see.
    /// </summary>
    public bool CheckConnectionLimit { get; set; } = true;

    /// <summary>
    /// A job's state change and its execution row's status write commit together, in one
    /// transaction on one connection: Hangfire's write transaction opens a TransactionScope around
    /// its commands and the row's upsert, on connections of the results table's pool (as for
    /// <see cref="CreateJobsInOneTransaction"/>), and the status-change observers (waiters, resumes,
    /// webhooks, event streams) run once it committed. One commit fewer per state change; a state
    /// Hangfire fails to commit leaves no row saying it. False (the default): the row commits on
    /// its own just before Hangfire's transaction, and the observers run before Hangfire's commit.
    /// Opt-in until the multi-node crash test, which missed its recovery bound in three of three
    /// runs with it on (one of one with it off passed), is explained.
    /// </summary>
    public bool RecordInJobTransaction { get; set; }

    /// <summary>
    /// The notification that tells other nodes' awaits of a finished execution is sent after its
    /// write committed, by one loop per node that sends whatever finished meanwhile in one
    /// transaction. PostgreSQL commits every transaction that sent a NOTIFY in single file, each
    /// holding one global lock until its commit is on disk; a write carrying its own notification
    /// queued on that lock behind every other one (Hangfire's enqueues send one each too). False:
    /// each write sends its notification itself (<c>pg_notify</c> in the statement). Either way
    /// only a committed finished status is announced. A node that crashes between the commit and
    /// the notification leaves the other nodes' awaits to their poll of the results table.
    /// </summary>
    public bool BatchCompletionNotifications { get; set; } = true;

    /// <summary>Whether Hangfire takes its connections from the results table's pool, enlisting in ambient scopes.</summary>
    internal bool SharesResultsPool => OneTransactionStarts || RecordInJobTransaction;

    /// <summary>Anything else of Hangfire.PostgreSql, applied last.</summary>
    public Action<PostgreSqlStorageOptions>? ConfigureHangfire { get; set; }

    /// <summary>Hangfire.PostgreSql's options as these settings make them.</summary>
    public PostgreSqlStorageOptions ToHangfireOptions()
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = HangfireSchemaName,
            QueuePollInterval = QueuePollInterval,
            EnableLongPolling = EnableLongPolling,
            InvisibilityTimeout = InvisibilityTimeout,
            UseSlidingInvisibilityTimeout = UseSlidingInvisibilityTimeout,
            DistributedLockTimeout = DistributedLockTimeout,
            PrepareSchemaIfNecessary = HangfireSchema == HangfireSchemaSetup.Hangfire,
        };
        ConfigureHangfire?.Invoke(options);
        if (SharesResultsPool)
        {
            // What makes Hangfire's commit join the scope that carries the row's write.
            options.EnableTransactionScopeEnlistment = true;
        }

        return options;
    }

    /// <summary>Throws naming the setting that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HangfireSchemaName))
        {
            throw new InvalidOperationException($"{Section}:HangfireSchemaName must not be empty.");
        }

        if (QueuePollInterval < TimeSpan.FromMilliseconds(50))
        {
            throw new InvalidOperationException($"{Section}:QueuePollInterval must be at least 50 ms; it is {QueuePollInterval}.");
        }

        if (InvisibilityTimeout < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"{Section}:InvisibilityTimeout must be at least 1 second; it is {InvisibilityTimeout}.");
        }

        if (DistributedLockTimeout < TimeSpan.FromSeconds(5))
        {
            throw new InvalidOperationException($"{Section}:DistributedLockTimeout must be at least 5 seconds; it is {DistributedLockTimeout}.");
        }

        if (MaxPoolSize is < 2 or > 10_000)
        {
            throw new InvalidOperationException($"{Section}:MaxPoolSize must be between 2 and 10000; it is {MaxPoolSize}.");
        }

        if (Nodes is < 1 or > 1000)
        {
            throw new InvalidOperationException($"{Section}:Nodes must be between 1 and 1000; it is {Nodes}.");
        }

        if (ListenerMaxReconnectDelay <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:ListenerMaxReconnectDelay must be positive.");
        }
    }
}
