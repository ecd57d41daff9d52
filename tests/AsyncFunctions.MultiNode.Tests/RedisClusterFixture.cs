using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// Jobs in Redis (the run's throwaway redis-server, a key prefix of its own), results in a
/// PostgreSQL database of its own, and one API-only node (WorkerCount 0) that every test talks
/// to; the tests start and kill worker nodes themselves.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private PostgreSqlTestServer? _postgres;

    public IReadOnlyDictionary<string, string> Settings { get; private set; } = new Dictionary<string, string>();

    public string ConnectionString { get; private set; } = "";

    /// <summary>The Redis server of the jobs and the key prefix of this cluster.</summary>
    public (string Server, string Prefix) Jobs { get; private set; }

    public ServerNode Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var redis = await RedisTestServer.GetAsync();
        _postgres = await PostgreSqlTestServer.GetAsync();
        ConnectionString = await _postgres.CreateDatabaseAsync("af_redis_cluster");
        var prefix = $"{{cluster-{Guid.NewGuid():N}}}:";
        Jobs = (redis.ConnectionString, prefix);
        Settings = new Dictionary<string, string>
        {
            ["AsyncFunctions__Storage__Jobs__Provider"] = "Redis",
            ["ConnectionStrings__AsyncFunctionsJobs"] = redis.ConnectionString,
            ["AsyncFunctions__Storage__Jobs__Redis__Prefix"] = prefix,
            ["AsyncFunctions__Storage__Jobs__Redis__FetchTimeout"] = "00:00:01",
            // A killed node's job runs again after the invisibility timeout (plus up to a minute
            // until the storage's watcher looks), which must exceed the function timeout: 30 s and
            // 20 s keep the crash test moderate.
            ["AsyncFunctions__Storage__Jobs__Redis__InvisibilityTimeout"] = "00:00:30",
            ["AsyncFunctions__Execution__DefaultTimeout"] = "00:00:20",
        };
        Api = await StartNodeAsync("api", workerCount: 0);
    }

    public Task<ServerNode> StartNodeAsync(string name, int workerCount) =>
        ServerNode.StartAsync(name, ConnectionString, workerCount, Settings);

    /// <summary>Whether Redis holds the Hangfire job of <paramref name="id"/> (asked with redis-cli), so the cluster truly runs on Redis.</summary>
    public async Task<bool> JobInRedisAsync(string id)
    {
        var (host, port) = (Jobs.Server.Split(':')[0], Jobs.Server.Split(':')[1]);
        var start = new System.Diagnostics.ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", host, "-p", port, "EXISTS", $"{Jobs.Prefix}job:{id}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim() == "1";
    }

    public async Task DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        if (_postgres is not null && ConnectionString.Length > 0)
        {
            await _postgres.DropDatabaseAsync(ConnectionString);
        }
    }
}
