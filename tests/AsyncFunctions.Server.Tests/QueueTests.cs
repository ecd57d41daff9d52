using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>Queues: a function's queue, a start's override, the node's queues and their own workers, priority, and every later enqueue keeping the queue.</summary>
public sealed class QueueTests
{
    [Fact]
    public async Task A_queue_with_its_own_workers_keeps_running_while_another_queue_is_flooded()
    {
        // 2 shared workers for default and bulk; 1 worker of its own for critical.
        using var app = new TestApp(workers: 2, settings: Queues("critical:1", "default", "bulk"), services: Register);
        var gate = Guid.NewGuid().ToString("N");
        var bulk = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => app.StartAsync("queues.bulk", new { gate, value = i })));
        // Both shared workers are held by the flood, the other 8 wait in the bulk queue.
        await TestApp.WaitUntilAsync(async () => (await Task.WhenAll(bulk.Select(id => app.GetAsync($"/api/executions/{id}")))).Count(r => r["status"]!.GetValue<string>() == "Processing") == 2);

        var critical = await app.StartAsync("queues.critical", new { value = "urgent" });
        var done = await app.WaitForAsync(critical, r => r["status"]!.GetValue<string>() == "Succeeded");

        Assert.Equal("critical", done["queue"]!.GetValue<string>());
        var flooded = await Task.WhenAll(bulk.Select(id => app.GetAsync($"/api/executions/{id}")));
        Assert.All(flooded, r => Assert.Equal("bulk", r["queue"]!.GetValue<string>()));
        Assert.Equal(8, flooded.Count(r => r["status"]!.GetValue<string>() == "Enqueued"));

        TestFunctions.Gates.Release(gate);
        var outcome = await app.AwaitAsync(bulk, timeoutSeconds: 120);
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
    }

    [Fact]
    public async Task The_shared_workers_take_the_queues_in_the_listed_order()
    {
        using var app = new TestApp(workers: 1, settings: Queues("high", "low"), services: Register);
        var gate = Guid.NewGuid().ToString("N");
        // The one worker is held while both queues fill: low first, then high.
        var blocker = await app.StartAsync("queues.high_gated", new { gate });
        await app.WaitForAsync(blocker, r => r["status"]!.GetValue<string>() == "Processing");
        var low = new List<string>();
        var high = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            low.Add(await app.StartAsync("queues.low", new { value = i }));
        }

        for (var i = 0; i < 3; i++)
        {
            high.Add(await app.StartAsync("queues.high", new { value = i }));
        }

        TestFunctions.Gates.Release(gate);
        var outcome = await app.AwaitAsync([.. low, .. high], timeoutSeconds: 120);
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());

        var records = await Task.WhenAll(low.Concat(high).Select(id => app.GetAsync($"/api/executions/{id}")));
        var order = records.OrderBy(r => r["startedAt"]!.GetValue<DateTimeOffset>()).Select(r => r["queue"]!.GetValue<string>()).ToList();
        Assert.Equal(["high", "high", "high", "low", "low", "low"], order);
    }

    [Fact]
    public async Task A_start_may_not_choose_its_queue_unless_the_server_allows_it()
    {
        using var app = new TestApp(services: Register);

        var refused = await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, queue = "critical" }, HttpStatusCode.BadRequest);

        Assert.Contains("AllowQueueOverride", refused["errors"]!["queue"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("queue", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_allowed_queue_override_carries_the_execution_and_the_record_shows_it()
    {
        var settings = Queues("default", "special");
        settings["AsyncFunctions:Execution:AllowQueueOverride"] = "true";
        using var app = new TestApp(settings: settings, services: Register);

        var started = await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, queue = "special" }, HttpStatusCode.Accepted);
        var done = await app.WaitForAsync(started["id"]!.GetValue<string>(), r => r["status"]!.GetValue<string>() == "Succeeded");
        var plain = await app.StartAsync("examples.echo", new { value = 2 });

        Assert.Equal("special", started["queue"]!.GetValue<string>());
        Assert.Equal("special", done["queue"]!.GetValue<string>());
        Assert.Equal("default", (await app.GetAsync($"/api/executions/{plain}"))["queue"]!.GetValue<string>());
        var invalid = await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, queue = "Not Valid" }, HttpStatusCode.BadRequest);
        Assert.Contains("not a valid queue name", invalid["errors"]!["queue"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var sync = await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, mode = "sync", queue = "special" }, HttpStatusCode.BadRequest);
        Assert.NotNull(sync["errors"]!["queue"]);
    }

    [Fact]
    public async Task Retries_resumes_and_delayed_starts_stay_on_the_execution_queue()
    {
        // The node serves "solo" only: a later enqueue on any other queue would never run.
        using var app = new TestApp(workers: 2, settings: Queues("solo"), services: Register);
        await app.SaveStackAsync("""
            { "name": "queues.sleeper", "queue": "solo", "stack": [ { "sleep": 1500 } ], "response": "woke" }
            """);

        var flaky = await app.StartAsync("queues.flaky", new { });
        var sleeper = await app.StartAsync("queues.sleeper", new { });
        var delayed = await app.PostAsync("/api/functions/queues.flaky/executions", new { input = new { }, delaySeconds = 1 }, HttpStatusCode.Accepted);
        await app.WaitForAsync(sleeper, r => r["status"]!.GetValue<string>() is "Awaiting" or "Succeeded");
        var outcome = await app.AwaitAsync([flaky, sleeper, delayed["id"]!.GetValue<string>()], timeoutSeconds: 120);

        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        var results = outcome["results"]!.AsArray();
        Assert.All(results, r => Assert.Equal("Succeeded", r!["status"]!.GetValue<string>()));
        var retried = await app.GetAsync($"/api/executions/{flaky}");
        Assert.Equal(2, retried["attempts"]!.GetValue<int>());
        Assert.Equal("solo", retried["queue"]!.GetValue<string>());
        var resumed = await app.GetAsync($"/api/executions/{sleeper}");
        Assert.Equal(1, resumed["resumes"]!.GetValue<int>());
        Assert.Equal("solo", resumed["queue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_queues_setting_a_node_serves_every_queue_its_functions_name()
    {
        using var app = new TestApp(workers: 2, services: Register);

        var id = await app.StartAsync("queues.low", new { value = 7 });
        var done = await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Succeeded");

        Assert.Equal("low", done["queue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_queues_setting_a_function_saved_later_with_a_new_queue_runs_without_a_restart()
    {
        using var app = new TestApp(workers: 2, services: Register);
        // One worker runs a job while the queue list changes; the other waits for a job.
        var gate = Guid.NewGuid().ToString("N");
        var running = await app.StartAsync("queues.bulk", new { gate, value = 0 });
        await app.WaitForAsync(running, r => r["status"]!.GetValue<string>() == "Processing");

        await app.SaveStackAsync("""
            { "name": "queues.new_queue", "queue": "q-new", "stack": [], "response": "=$input.value" }
            """);
        var id = await app.StartAsync("queues.new_queue", new { value = 42 });
        var done = await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed");

        Assert.Equal("Succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("q-new", done["queue"]!.GetValue<string>());
        Assert.Equal(42, done["output"]!.GetValue<int>());
        // The running job was not touched, and the other queues are still served.
        Assert.Equal("Processing", (await app.GetAsync($"/api/executions/{running}"))["status"]!.GetValue<string>());
        TestFunctions.Gates.Release(gate);
        var finished = await app.WaitForAsync(running, r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed");
        Assert.Equal(("Succeeded", 1), (finished["status"]!.GetValue<string>(), finished["attempts"]!.GetValue<int>()));
        var after = await app.StartAsync("queues.low", new { value = 1 });
        await app.WaitForAsync(after, r => r["status"]!.GetValue<string>() == "Succeeded");
    }

    [Fact]
    public async Task Without_a_queues_setting_a_new_queue_saved_by_another_node_is_served_after_the_queue_check()
    {
        var settings = new Dictionary<string, string?> { ["AsyncFunctions:Server:QueueCheckInterval"] = "00:00:00.500" };
        using var app = new TestApp(workers: 2, settings: settings, services: Register);
        _ = app.CreateClient();

        // Saved straight into the shared database, as another node's API would: this node hears nothing of it.
        var store = app.Services.GetRequiredService<AsyncFunctions.Definitions.IFunctionDefinitionStore>();
        await store.SaveAsync("queues.elsewhere", """{ "name": "queues.elsewhere", "queue": "q-elsewhere", "stack": [], "response": "done" }""");
        var id = await app.StartAsync("queues.elsewhere", new { });
        var done = await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed");

        Assert.Equal("Succeeded", done["status"]!.GetValue<string>());
        Assert.Equal("q-elsewhere", done["queue"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_node_with_a_queues_setting_does_not_take_up_a_queue_a_function_names_later()
    {
        var settings = Queues("default", "low");
        settings["AsyncFunctions:Server:QueueCheckInterval"] = "00:00:00.200";
        using var app = new TestApp(workers: 2, settings: settings, services: Register);

        await app.SaveStackAsync("""
            { "name": "queues.unserved", "queue": "q-unserved", "stack": [], "response": "ran" }
            """);
        var id = await app.StartAsync("queues.unserved", new { });
        var served = await app.StartAsync("queues.low", new { value = 1 });
        await app.WaitForAsync(served, r => r["status"]!.GetValue<string>() == "Succeeded");
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal("Enqueued", (await app.GetAsync($"/api/executions/{id}"))["status"]!.GetValue<string>());
    }

    private static Dictionary<string, string?> Queues(params string[] queues)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < queues.Length; i++)
        {
            settings[$"AsyncFunctions:Server:Queues:{i}"] = queues[i];
        }

        return settings;
    }

    private static void Register(IServiceCollection services) => services.Configure<FunctionRegistry>(registry =>
    {
        registry.AddFunction<TestFunctions.Gated>("queues.bulk").InQueue("bulk");
        registry.AddFunction<TestFunctions.Gated>("queues.high_gated").InQueue("high");
        registry.AddFunction<Echo>("queues.critical").InQueue("critical");
        registry.AddFunction<Echo>("queues.high").InQueue("high");
        registry.AddFunction<Echo>("queues.low").InQueue("low");
        registry.AddFunction<FailsOnce>("queues.flaky").InQueue("solo").Retries(1, 0);
    });

    private sealed class Echo : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(context.Input["value"]?.DeepClone());
    }

    private sealed class FailsOnce : IAsyncFunction
    {
        private static readonly ConcurrentDictionary<string, int> Attempts = new();

        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Attempts.AddOrUpdate(context.ExecutionId, 1, (_, n) => n + 1) == 1
                ? throw new FunctionException("queues.flaky", "first attempt fails")
                : Task.FromResult<JsonNode?>(JsonValue.Create(context.Execution.Attempt));
    }
}
