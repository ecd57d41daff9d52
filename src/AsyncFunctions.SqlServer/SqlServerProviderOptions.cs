using AsyncFunctions.Hangfire.Storage;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;

namespace AsyncFunctions.SqlServer;

/// <summary>
/// Settings of the SQL Server provider; the server binds them from <c>AsyncFunctions:Storage:SqlServer</c>.
/// SQL Server has no LISTEN/NOTIFY, so an await on one node learns of a result written by
/// another through the awaiter's batched poll of the results table (AsyncFunctions:Await:PollMinInterval
/// to PollMaxInterval, 25 ms doubling to 1 s by default).
/// </summary>
public sealed class SqlServerProviderOptions
{
    public const string Section = "AsyncFunctions:Storage:SqlServer";

    /// <summary>Schema of Hangfire's tables.</summary>
    public string HangfireSchemaName { get; set; } = "HangFire";

    /// <summary>
    /// Zero (the default) means Hangfire.SqlServer's long polling: a worker's fetch waits on the
    /// server and is re-issued about every 200 ms, and an enqueue in the same process wakes it at once.
    /// A positive value switches to plain polling at that interval.
    /// </summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a fetched job stays claimed without a renewal; the running worker renews the claim
    /// well within it, so it is also how soon a job of a crashed node runs again elsewhere
    /// (Hangfire's default 5 minutes).
    /// </summary>
    public TimeSpan SlidingInvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Who creates Hangfire's tables; see <see cref="HangfireSchemaSetup"/>.</summary>
    public HangfireSchemaSetup HangfireSchema { get; set; } = HangfireSchemaSetup.WithMigrations;

    /// <summary>
    /// The most connections this node opens. Hangfire.SqlServer and the results store use the same
    /// connection string, so SqlClient keeps one pool for both; this sets its <c>Max Pool Size</c>
    /// (replacing one in the connection string). A caller past it waits for a free connection up
    /// to the connection string's <c>Connect Timeout</c> and then fails, with a 503 over HTTP.
    /// </summary>
    public int MaxPoolSize { get; set; } = 25;

    /// <summary>How many nodes share the database, for the start-up check (<see cref="CheckConnectionLimit"/>).</summary>
    public int Nodes { get; set; } = 1;

    /// <summary>At start-up, fail when <see cref="Nodes"/> nodes could open more connections than the server's <c>@@MAX_CONNECTIONS</c>.</summary>
    public bool CheckConnectionLimit { get; set; } = true;

    /// <summary>The connection string both Hangfire and the results store open, with <see cref="MaxPoolSize"/> applied.</summary>
    public string PooledConnectionString(string connectionString) =>
        new SqlConnectionStringBuilder(connectionString) { MaxPoolSize = MaxPoolSize, MinPoolSize = Math.Min(new SqlConnectionStringBuilder(connectionString).MinPoolSize, MaxPoolSize) }.ConnectionString;

    /// <summary>Anything else of Hangfire.SqlServer, applied last.</summary>
    public Action<SqlServerStorageOptions>? ConfigureHangfire { get; set; }

    /// <summary>Hangfire.SqlServer's options as these settings make them.</summary>
    public SqlServerStorageOptions ToHangfireOptions()
    {
        var options = new SqlServerStorageOptions
        {
            SchemaName = HangfireSchemaName,
            QueuePollInterval = QueuePollInterval,
            SlidingInvisibilityTimeout = SlidingInvisibilityTimeout,
            PrepareSchemaIfNecessary = HangfireSchema == HangfireSchemaSetup.Hangfire,

            // Stated although they are Hangfire 1.8's defaults, because they matter: READ COMMITTED
            // instead of SERIALIZABLE for Hangfire's own transactions and batched commands with a
            // bounded timeout. TryAutoDetectSchemaDependentOptions (also on by default) reads the
            // schema version when the storage is built and then turns off global locks and turns on
            // IGNORE_DUP_KEY where the schema supports them.
            UseRecommendedIsolationLevel = true,
            CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
            TryAutoDetectSchemaDependentOptions = true,
            SqlClientFactory = SqlClientFactory.Instance,
        };
        ConfigureHangfire?.Invoke(options);
        return options;
    }

    /// <summary>Throws naming the setting that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HangfireSchemaName))
        {
            throw new InvalidOperationException($"{Section}:HangfireSchemaName must not be empty.");
        }

        if (QueuePollInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:QueuePollInterval must be zero (long polling) or positive; it is {QueuePollInterval}.");
        }

        if (MaxPoolSize is < 2 or > 10_000)
        {
            throw new InvalidOperationException($"{Section}:MaxPoolSize must be between 2 and 10000; it is {MaxPoolSize}.");
        }

        if (Nodes is < 1 or > 1000)
        {
            throw new InvalidOperationException($"{Section}:Nodes must be between 1 and 1000; it is {Nodes}.");
        }

        if (SlidingInvisibilityTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:SlidingInvisibilityTimeout must be positive.");
        }
    }
}
