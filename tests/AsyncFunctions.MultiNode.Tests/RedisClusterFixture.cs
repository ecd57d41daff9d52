using System.Globalization;
using System.Text.Json;
using AsyncFunctions.Storage.Tests.Fixtures;
using StackExchange.Redis;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// Jobs in Redis (the run's throwaway redis-server, a key prefix of its own), results in a
/// PostgreSQL database of its own, and one API-only node (WorkerCount 0) that every test talks
/// to; the tests start and kill worker nodes themselves. Hangfire's jobs are read from Redis
/// with the keys of Hangfire.Redis.StackExchange.
/// </summary>
public class RedisClusterFixture : ClusterFixture
{
    private ConnectionMultiplexer? _redis;

    public RedisClusterFixture()
        : this("af_redis_cluster", invisibility: "00:00:30", functionTimeout: "00:00:20")
    {
    }

    /// <param name="invisibility">
    /// Hangfire.Redis' invisibility timeout, which must exceed the function timeout: after it
    /// (plus up to a minute until the storage's watcher looks) a killed node's job runs again
    /// even without the node takeover.
    /// </param>
    protected RedisClusterFixture(string database, string invisibility, string functionTimeout)
        : base(database, new Dictionary<string, string>())
    {
        Invisibility = invisibility;
        FunctionTimeout = functionTimeout;
    }

    private string Invisibility { get; }

    private string FunctionTimeout { get; }

    /// <summary>The Redis server of the jobs and the key prefix of this cluster.</summary>
    public (string Server, string Prefix) Jobs { get; private set; }

    protected override async Task PrepareJobStorageAsync()
    {
        var redis = await RedisTestServer.GetAsync();
        var prefix = $"{{cluster-{Guid.NewGuid():N}}}:";
        Jobs = (redis.ConnectionString, prefix);
        _redis = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        NodeSettings = new Dictionary<string, string>
        {
            ["AsyncFunctions__Storage__Jobs__Provider"] = "Redis",
            ["ConnectionStrings__AsyncFunctionsJobs"] = redis.ConnectionString,
            ["AsyncFunctions__Storage__Jobs__Redis__Prefix"] = prefix,
            ["AsyncFunctions__Storage__Jobs__Redis__FetchTimeout"] = "00:00:01",
            ["AsyncFunctions__Storage__Jobs__Redis__InvisibilityTimeout"] = Invisibility,
            ["AsyncFunctions__Execution__DefaultTimeout"] = FunctionTimeout,
        };
    }

    private IDatabase Redis => _redis!.GetDatabase();

    protected override async ValueTask DisposeJobStorageAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    /// <summary>Whether Redis holds the Hangfire job of <paramref name="id"/>, so the cluster truly runs on Redis.</summary>
    public Task<bool> JobInRedisAsync(string id) => Redis.KeyExistsAsync($"{Jobs.Prefix}job:{id}");

    /// <summary>
    /// Does what a worker of Hangfire.Redis.StackExchange does when it fetches a job: moves the
    /// oldest id of the queue to its fetched list and stamps the job's <c>Fetched</c> time (Unix
    /// milliseconds, Hangfire's format), the state a node killed before it moved the job to
    /// Processing leaves behind. Returns the id it fetched, or null with an empty queue.
    /// </summary>
    public async Task<string?> FetchAsIfByAWorkerAsync(string queue = "default")
    {
        var id = await Redis.ListRightPopLeftPushAsync($"{Jobs.Prefix}queue:{queue}", $"{Jobs.Prefix}queue:{queue}:dequeued");
        if (id.IsNull)
        {
            return null;
        }

        await Redis.HashSetAsync($"{Jobs.Prefix}job:{id}", "Fetched", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return id!;
    }

    /// <summary>
    /// Takes the lock <paramref name="resource"/> as Hangfire.Redis would for <paramref name="node"/>
    /// (with the value the node recorded as its own), as if the node died holding it.
    /// </summary>
    public async Task LockAsIfHeldByAsync(ServerNode node, string resource, TimeSpan ttl)
    {
        var holders = await Redis.HashGetAllAsync($"{Jobs.Prefix}af:lock-holders");
        var holder = holders.Single(h => h.Name.ToString().Contains($":{node.ProcessId}:", StringComparison.Ordinal)).Value;
        Assert.True(await Redis.StringSetAsync($"{Jobs.Prefix}{resource}", holder, ttl, When.NotExists));
    }

    /// <summary>Undoes <see cref="FetchAsIfByAWorkerAsync"/>: the job goes back to the front of its queue and idle workers are woken.</summary>
    public async Task PutBackAsync(string id, string queue = "default")
    {
        await Redis.ListRemoveAsync($"{Jobs.Prefix}queue:{queue}:dequeued", id);
        await Redis.HashDeleteAsync($"{Jobs.Prefix}job:{id}", "Fetched");
        await Redis.ListRightPushAsync($"{Jobs.Prefix}queue:{queue}", id);
        await _redis!.GetSubscriber().PublishAsync(RedisChannel.Literal($"{Jobs.Prefix}JobFetchChannel"), id);
    }

    public override async Task<IReadOnlyList<string>> ProcessingOnAsync(string serverId)
    {
        var ids = new List<string>();
        foreach (var id in await Redis.SortedSetRangeByRankAsync($"{Jobs.Prefix}processing"))
        {
            var state = await Redis.HashGetAsync($"{Jobs.Prefix}job:{id}:state", ["State", "ServerId"]);
            if (state[0] == "Processing" && state[1] == serverId)
            {
                ids.Add(id!);
            }
        }

        return ids;
    }

    public override async Task<IReadOnlyList<(string Name, string? Reason, DateTime At)>> TimedHistoryAsync(string id)
    {
        var states = new List<(string, string?, DateTime)>();
        foreach (var entry in await Redis.ListRangeAsync($"{Jobs.Prefix}job:{id}:history"))
        {
            var data = JsonSerializer.Deserialize<Dictionary<string, string?>>(entry.ToString())!;
            // Hangfire writes the time as Unix milliseconds (older versions: ISO 8601).
            var created = data["CreatedAt"]!;
            var at = long.TryParse(created, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
                : DateTime.Parse(created, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            states.Add((data["State"]!, data.GetValueOrDefault("Reason"), at));
        }

        return states;
    }

    public override async Task<int> FetchedEntriesAsync(string id)
    {
        var count = 0;
        foreach (var queue in await Redis.SetMembersAsync($"{Jobs.Prefix}queues"))
        {
            count += (await Redis.ListRangeAsync($"{Jobs.Prefix}queue:{queue}:dequeued")).Count(e => e == id);
        }

        return count;
    }
}

/// <summary>
/// The cluster of the recovery tests on Redis jobs: an invisibility timeout of five minutes (and a
/// function timeout of four), so a dead node's jobs can run again within the tests' time only
/// through the node takeover; node heartbeats keep their defaults.
/// </summary>
public sealed class RedisRecoveryClusterFixture() : RedisClusterFixture("af_redis_recovery", invisibility: "00:05:00", functionTimeout: "00:04:00");
