using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// An execution whose job Redis lost (deleted here behind the platform's back, as a crash within
/// AOF's last second would) is ended by the sweep as execution.lost; one whose job is intact is left alone.
/// </summary>
public sealed class LostJobSweepTests
{
    [SkippableFact]
    public async Task An_execution_whose_job_is_gone_from_redis_ends_as_lost_and_one_with_its_job_stays()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        var redis = await RedisTestServer.GetAsync();
        var prefix = $"{{sweep-{Guid.NewGuid():N}}}:";
        using var app = await RedisApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Storage:Jobs:Redis:Prefix"] = prefix,
            // Off: the test runs one pass itself.
            ["AsyncFunctions:Execution:LostJobSweep:Interval"] = "00:00:00",
            ["AsyncFunctions:Execution:LostJobSweep:MinAge"] = "00:00:01",
        });
        var lost = (await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, delaySeconds = 3600 }, System.Net.HttpStatusCode.Accepted))["id"]!.GetValue<string>();
        var kept = (await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 2 }, delaySeconds = 3600 }, System.Net.HttpStatusCode.Accepted))["id"]!.GetValue<string>();

        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var db = connection.GetDatabase();
            Assert.True(await db.KeyExistsAsync($"{prefix}job:{lost}"), "The job was expected under the configured prefix.");
            await db.KeyDeleteAsync([$"{prefix}job:{lost}", $"{prefix}job:{lost}:state", $"{prefix}job:{lost}:history"]);
            await db.SortedSetRemoveAsync($"{prefix}schedule", lost);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var ended = await app.Services.GetRequiredService<LostJobSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, ended);
        var record = await app.GetAsync($"/api/executions/{lost}");
        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.Equal("execution.lost", record["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Scheduled", (await app.GetAsync($"/api/executions/{kept}"))["status"]!.GetValue<string>());
    }
}
