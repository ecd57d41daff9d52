using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Redis;
using AsyncFunctions.Storage.Tests.Fixtures;
using Hangfire;
using Hangfire.Redis.StackExchange;
using Npgsql;
using StackExchange.Redis;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// Jobs in Redis (Hangfire.Redis.StackExchange on a throwaway redis-server with AOF everysec),
/// results in PostgreSQL: a new PostgreSQL database per host (or pair of hosts) and a Redis key
/// prefix named after it. Raw Hangfire gets Hangfire.Redis.StackExchange with the options the
/// platform sets, on the same Redis.
/// </summary>
public sealed class RedisBenchStorage(RedisTestServer redis, PostgresServer postgres) : BenchStorage
{
    private static readonly RedisJobStorageOptions Provider = new();

    private readonly Lazy<ConnectionMultiplexer> _raw = new(() => ConnectionMultiplexer.Connect(redis.ConnectionString));

    public override string Name => "redis";

    public override string Settings =>
        $"jobs: {redis.Description}, Hangfire.Redis.StackExchange with FetchTimeout {Provider.FetchTimeout.TotalSeconds:0} s, transactions on; " +
        $"results: {postgres.Description}, completion listener (LISTEN/NOTIFY) on, row writes {(GroupCommit ? "group-committed" : "one statement each")}; raw Hangfire.Redis.StackExchange with the same options; a new database and key prefix per host";

    public override bool SharedAcrossHosts => true;

    public override Task<string> NewDatabaseAsync() => postgres.CreateDatabaseAsync();

    public override async Task ReleaseDatabaseAsync(string database)
    {
        await using (var connection = new NpgsqlConnection(database))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await postgres.DropDatabaseAsync(new NpgsqlConnectionStringBuilder(database).Database!).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>ASYNCFUNCTIONS_BENCH_GROUP_COMMIT=0</c> writes each results row statement on its own (the
    /// provider's setting <c>GroupCommitWrites=false</c>), to compare with the default group commit.
    /// </summary>
    public const string GroupCommitVariable = "ASYNCFUNCTIONS_BENCH_GROUP_COMMIT";

    private static readonly bool GroupCommit = Environment.GetEnvironmentVariable(GroupCommitVariable) != "0";

    public override void UsePlatform(AsyncFunctionsBuilder builder, string database) => builder
        .UsePostgreSql(database, o =>
        {
            o.HangfireSchema = HangfireSchemaSetup.External;
            o.GroupCommitWrites = GroupCommit;
        })
        .UseRedisJobs(redis.ConnectionString, o => o.Prefix = Prefix(database, "platform"));

    public override JobStorage CreateRawJobStorage(string database)
    {
        var options = Provider.ToHangfireOptions(0, new AsyncFunctions.Running.ExecutionOptions().DefaultTimeout);
        options.Prefix = Prefix(database, "raw");
        return new RedisStorage(_raw.Value, options);
    }

    public override async Task<ICommitWatcher?> WatchCommitsAsync(string database) =>
        await PostgresCommitWatcher.StartAsync(database).ConfigureAwait(false);

    public override async ValueTask DisposeAsync()
    {
        if (_raw.IsValueCreated)
        {
            await _raw.Value.DisposeAsync().ConfigureAwait(false);
        }

        await redis.DisposeAsync().ConfigureAwait(false);
        await postgres.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static string Prefix(string database, string side) =>
        $"{{{new NpgsqlConnectionStringBuilder(database).Database}-{side}}}:";
}
