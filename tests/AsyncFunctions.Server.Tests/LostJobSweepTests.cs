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

    [SkippableFact]
    public async Task A_parent_whose_resume_redis_lost_is_resumed_again_by_the_sweep()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        using var app = await RedisApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Execution:LostJobSweep:Interval"] = "00:00:00",
            ["AsyncFunctions:Execution:LostJobSweep:MinAge"] = "00:00:01",
            ["AsyncFunctions:Await:MaxTimeout"] = "00:10:00",
        });
        var gate = Guid.NewGuid().ToString("N");
        await app.SaveStackAsync("""
            { "name": "sweep.parent", "inputs": [ { "name": "gate", "type": "text", "required": true } ],
              "stack": [
                { "call": "tests.gated", "async": true, "input": { "gate": "=$input.gate", "value": 7 }, "as": "child" },
                { "await": "=$var.child", "timeoutSeconds": 600, "as": "value" } ],
              "response": "=$var.value" }
            """);
        var parent = await app.StartAsync("sweep.parent", new { gate });
        await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting");
        var storage = app.Services.GetRequiredService<global::Hangfire.JobStorage>();
        await TestApp.WaitUntilAsync(() =>
        {
            using var connection = storage.GetConnection();
            return Task.FromResult(connection.GetStateData(parent)?.Name == AsyncFunctions.Hangfire.States.SuspendedState.StateName);
        });

        // What a resume leaves when Redis loses its write: the row says Enqueued, the job is still Suspended.
        var store = app.Services.GetRequiredService<AsyncFunctions.Executions.IExecutionStore>();
        Assert.True(await store.ApplyAsync(new AsyncFunctions.Executions.StatusChange(parent, "sweep.parent", AsyncFunctions.Executions.ExecutionStatus.Enqueued, DateTimeOffset.UtcNow)));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await app.Services.GetRequiredService<LostJobSweeper>().SweepAsync(CancellationToken.None);

        // Resumed: it runs its stack again from the await, finds the child unfinished and suspends again.
        var resumed = await app.WaitForAsync(parent, r => r["resumes"]!.GetValue<int>() == 1 && r["status"]!.GetValue<string>() == "Awaiting");
        Assert.Equal(1, resumed["attempts"]!.GetValue<int>());
        TestFunctions.Gates.Release(gate);
        var done = await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Succeeded");
        Assert.Equal(7, done["output"]!.GetValue<int>());
    }
}
