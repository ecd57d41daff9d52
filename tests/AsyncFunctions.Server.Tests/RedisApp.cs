using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The real server with its jobs in Redis (a throwaway redis-server shared by the run, one key
/// prefix per app) and its results in a SQLite file.
/// </summary>
public static class RedisApp
{
    public static async Task<TestApp> StartAsync(int workers = 4, IDictionary<string, string?>? settings = null)
    {
        var redis = await RedisTestServer.GetAsync();
        var all = new Dictionary<string, string?>
        {
            ["AsyncFunctions:Storage:Jobs:Provider"] = "Redis",
            ["ConnectionStrings:AsyncFunctionsJobs"] = redis.ConnectionString,
            ["AsyncFunctions:Storage:Jobs:Redis:Prefix"] = $"{{test-{Guid.NewGuid():N}}}:",
            ["AsyncFunctions:Storage:Jobs:Redis:FetchTimeout"] = "00:00:01",
            ["AsyncFunctions:Execution:ResumeSweepInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new TestApp(workers: workers, settings: all);
    }
}
