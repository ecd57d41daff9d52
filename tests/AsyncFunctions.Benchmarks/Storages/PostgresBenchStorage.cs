using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.PostgreSql;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// PostgreSQL for jobs (Hangfire.PostgreSql) and results; a new database per host (or per pair of
/// hosts that share it). Raw Hangfire gets Hangfire.PostgreSql with the options the provider sets.
/// </summary>
public sealed class PostgresBenchStorage(PostgresServer server, bool? createJobsInOneTransaction, bool? recordInJobTransaction, bool? batchNotifications = null) : BenchStorage
{
    private static readonly PostgreSqlProviderOptions Provider = new();

    private readonly bool _oneTransaction = createJobsInOneTransaction ?? Provider.CreateJobsInOneTransaction;

    private readonly bool _recordInJobTransaction = recordInJobTransaction ?? Provider.RecordInJobTransaction;

    private readonly bool _batchNotifications = batchNotifications ?? Provider.BatchCompletionNotifications;

    public override string Name => "postgres";

    public override string Settings =>
        $"{server.Description}; the provider's defaults: Hangfire.PostgreSql with QueuePollInterval {Provider.QueuePollInterval.TotalMilliseconds:0} ms, " +
        $"EnableLongPolling {Provider.EnableLongPolling}, sliding invisibility {Provider.UseSlidingInvisibilityTimeout}, " +
        $"completion listener (LISTEN/NOTIFY) {Provider.ListenForCompletions}, one-transaction starts {_oneTransaction}, status writes in Hangfire's transaction {_recordInJobTransaction}, completion notifications batched after commit {_batchNotifications}, MaxPoolSize {MaxPoolSize}; raw Hangfire.PostgreSql with the same storage options; a new database per host";

    public override bool SharedAcrossHosts => true;

    public override async Task<string> NewDatabaseAsync()
    {
        return await server.CreateDatabaseAsync().ConfigureAwait(false);
    }

    /// <summary>"1" keeps every database the run created (for a look at a job that did not complete); unset, each is dropped after its host.</summary>
    public const string KeepDatabasesVariable = "ASYNCFUNCTIONS_BENCH_POSTGRES_KEEP_DATABASES";

    public override async Task ReleaseDatabaseAsync(string database)
    {
        await using (var connection = new NpgsqlConnection(database))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        if (Environment.GetEnvironmentVariable(KeepDatabasesVariable) == "1")
        {
            return;
        }

        await server.DropDatabaseAsync(new NpgsqlConnectionStringBuilder(database).Database!).ConfigureAwait(false);
    }

    public override void UsePlatform(AsyncFunctionsBuilder builder, string database) => builder.UsePostgreSql(database, o =>
    {
        o.CreateJobsInOneTransaction = _oneTransaction;
        o.RecordInJobTransaction = _recordInJobTransaction;
        o.BatchCompletionNotifications = _batchNotifications;
        o.MaxPoolSize = MaxPoolSize;
    });

    /// <summary>The platform's pool per host: the provider's default unless <see cref="StorageCatalog.PostgresMaxPoolSizeVariable"/> says otherwise.</summary>
    private static int MaxPoolSize =>
        int.TryParse(Environment.GetEnvironmentVariable(StorageCatalog.PostgresMaxPoolSizeVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size > 0
            ? size
            : Provider.MaxPoolSize;

    public override JobStorage CreateRawJobStorage(string database)
    {
        var options = Provider.ToHangfireOptions();
        options.PrepareSchemaIfNecessary = true;
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(database, options), options);
    }

    public override async Task<ICommitWatcher?> WatchCommitsAsync(string database) =>
        await PostgresCommitWatcher.StartAsync(database).ConfigureAwait(false);

    public override IWorkCounter? DatabaseCounter(string database) =>
        new CommitCounter(server, new NpgsqlConnectionStringBuilder(database).Database!);

    public override async ValueTask DisposeAsync()
    {
        await server.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// pg_stat_database.xact_commit of one database. Backends report their counts when idle, at
    /// most once a second, so each read first waits that long.
    /// </summary>
    private sealed class CommitCounter(PostgresServer server, string database) : IWorkCounter
    {
        public IReadOnlyList<string> Names { get; } = ["commits (xact_commit)"];

        public async Task<long[]> ReadAsync()
        {
            await Task.Delay(TimeSpan.FromSeconds(1.2)).ConfigureAwait(false);
            return [await server.CommitsAsync(database).ConfigureAwait(false)];
        }
    }
}
