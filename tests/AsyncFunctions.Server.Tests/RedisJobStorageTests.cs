using System.Net;
using AsyncFunctions.Storage.Tests.Fixtures;
using Hangfire;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Jobs in Redis, results in SQL: every path of an execution (start, await, durable await,
/// cancel, retries, delayed start, webhook) works on Hangfire.Redis.StackExchange against a real
/// redis-server with AOF on.
/// </summary>
public sealed class RedisJobStorageTests
{
    private static string Status(System.Text.Json.Nodes.JsonObject record) => record["status"]!.GetValue<string>();

    [SkippableFact]
    public async Task An_async_start_is_a_job_in_redis_whose_id_is_the_execution_id_and_its_await_returns_the_output()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        using var app = await RedisApp.StartAsync();

        var id = await app.StartAsync("examples.echo", new { value = "from redis" });
        var outcome = await app.AwaitAsync([id]);

        var result = outcome["results"]![0]!;
        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal("from redis", result["output"]!.GetValue<string>());
        var storage = app.Services.GetRequiredService<JobStorage>();
        Assert.IsType<RedisStorage>(storage);
        // The row is written just before Hangfire commits the job's state: wait for that commit.
        await TestApp.WaitUntilAsync(() =>
        {
            using var connection = storage.GetConnection();
            return Task.FromResult(connection.GetStateData(id)?.Name == "Succeeded");
        });
    }

    [SkippableFact]
    public async Task Durable_awaits_suspend_and_each_parent_resumes_once_on_two_workers()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        using var app = await RedisApp.StartAsync(workers: 2, new Dictionary<string, string?> { ["AsyncFunctions:Await:MaxTimeout"] = "00:10:00" });
        await app.SaveStackAsync("""
            { "name": "redis.fan_out", "inputs": [ { "name": "n", "type": "int", "required": true } ],
              "stack": [
                { "var": "ids", "value": [] },
                { "for": 3, "index": "i", "do": [
                    { "call": "examples.echo", "async": true, "input": { "value": "=$input.n * 10 + $var.i" }, "as": "id" },
                    { "set": "ids", "op": "push", "value": "=$var.id" } ] },
                { "await": "=$var.ids", "timeoutSeconds": 600, "as": "outputs" } ],
              "response": "=$var.outputs" }
            """);

        var parents = await Task.WhenAll(Enumerable.Range(0, 10).Select(n => app.StartAsync("redis.fan_out", new { n })));
        var outcome = await app.AwaitAsync(parents, timeoutSeconds: 300);

        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        for (var n = 0; n < parents.Length; n++)
        {
            var result = outcome["results"]![n]!;
            Assert.True(result["status"]!.GetValue<string>() == "Succeeded", result.ToJsonString());
            Assert.Equal($"[{n * 10},{n * 10 + 1},{n * 10 + 2}]", result["output"]!.ToJsonString());
            var record = await app.GetAsync($"/api/executions/{parents[n]}");
            Assert.Equal(1, record["attempts"]!.GetValue<int>());
            Assert.InRange(record["resumes"]!.GetValue<int>(), 0, 1);
        }
    }

    [SkippableFact]
    public async Task Cancelling_a_running_execution_stops_it_and_cancelling_a_queued_one_means_it_never_runs()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        using var app = await RedisApp.StartAsync(workers: 1);
        var running = await app.StartAsync("examples.echo", new { value = 0, delayMs = 600_000 });
        await app.WaitForAsync(running, r => Status(r) == "Processing");
        var queued = await app.StartAsync("examples.echo", new { value = 1 });

        Assert.Equal("Cancelled", Status(await app.PostAsync($"/api/executions/{queued}/cancel", new { }, HttpStatusCode.OK)));
        Assert.Equal("Cancelled", Status(await app.PostAsync($"/api/executions/{running}/cancel", new { }, HttpStatusCode.OK)));

        // The single worker is free again: a new execution runs to the end.
        var next = await app.StartAsync("examples.echo", new { value = 2 });
        Assert.Equal("Succeeded", (await app.AwaitAsync([next]))["results"]![0]!["status"]!.GetValue<string>());
        var never = await app.GetAsync($"/api/executions/{queued}");
        Assert.Equal("Cancelled", Status(never));
        Assert.Equal(0, never["attempts"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task A_failed_attempt_is_retried_by_the_function_policy_and_succeeds()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        using var app = await RedisApp.StartAsync();

        var id = await app.StartAsync("tests.flaky", new { });
        var record = await app.WaitForAsync(id, r => Status(r) is "Succeeded" or "Failed");

        Assert.Equal("Succeeded", Status(record));
        Assert.Equal(2, record["attempts"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task A_delayed_start_is_Scheduled_then_runs()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        using var app = await RedisApp.StartAsync();

        var started = await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = "later" }, delaySeconds = 2 }, HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();

        Assert.Equal("Scheduled", Status(started));
        var record = await app.WaitForAsync(id, r => Status(r) == "Succeeded");
        Assert.Equal("later", record["output"]!.GetValue<string>());
    }

    [SkippableFact]
    public async Task A_finished_execution_posts_its_webhook()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        await using var receiver = await WebhookReceiver.StartAsync();
        using var app = await RedisApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Webhooks:Secret"] = "whsec_" + Convert.ToBase64String(new byte[32]),
            ["AsyncFunctions:Stacks:AllowedHosts:0"] = $"127.0.0.1:{receiver.Port}",
        });

        var started = await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = "hooked" }, callbackUrl = receiver.Url("redis") }, HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();
        await app.WaitForAsync(id, r => r["callback"]?["state"]?.GetValue<string>() == "Delivered");

        var received = Assert.Single(receiver.For("redis"));
        Assert.Contains("hooked", received.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_jobs_without_a_connection_string_fail_at_start_naming_the_key()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?> { ["AsyncFunctions:Storage:Jobs:Provider"] = "Redis" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("ConnectionStrings:AsyncFunctionsJobs", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_job_provider_fails_at_start_naming_the_key()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?> { ["AsyncFunctions:Storage:Jobs:Provider"] = "Kafka" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("AsyncFunctions:Storage:Jobs:Provider is 'Kafka'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_too_short_invisibility_timeout_fails_naming_the_key()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Storage:Jobs:Provider"] = "Redis",
            ["ConnectionStrings:AsyncFunctionsJobs"] = "127.0.0.1:1",
            ["AsyncFunctions:Storage:Jobs:Redis:InvisibilityTimeout"] = "00:00:01",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("AsyncFunctions:Storage:Jobs:Redis:InvisibilityTimeout", error.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_invisibility_timeout_not_longer_than_the_function_timeout_fails_at_start_naming_both_keys()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        using var app = await RedisApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Storage:Jobs:Redis:InvisibilityTimeout"] = "00:00:30",
            ["AsyncFunctions:Execution:DefaultTimeout"] = "00:01:00",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("AsyncFunctions:Storage:Jobs:Redis:InvisibilityTimeout (00:00:30) must be longer than AsyncFunctions:Execution:DefaultTimeout (00:01:00)", error.ToString(), StringComparison.Ordinal);
    }
}
