using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FlowControl;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A sync run (<c>POST /api/functions/{name}/run</c>, or <c>"mode": "sync"</c>) of a limited
/// function goes through the same limits as an async start: it holds a slot while it runs (so
/// async starts wait for it), counts in its rate window, and while the limit is full it is refused
/// at once with 429 and <c>Retry-After</c> (it cannot wait without holding the request).
/// </summary>
public sealed class FlowSyncRunTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    private async Task<HttpResponseMessage> RunAsync(string function, object input, string mode = "run")
    {
        var client = _app.CreateClient();
        return mode == "run"
            ? await client.PostAsJsonAsync($"/api/functions/{function}/run", new { input }, TestApp.Json)
            : await client.PostAsJsonAsync($"/api/functions/{function}/executions", new { input, mode = "sync" }, TestApp.Json);
    }

    private async Task<FlowKeyUsage?> UsageAsync(string function) =>
        (await _app.Services.GetRequiredService<IFlowAdmissionStore>().ListUsageAsync()).FirstOrDefault(u => u.Function == function);

    [Fact]
    public async Task A_sync_run_of_a_full_limit_is_refused_with_429_and_one_that_runs_holds_a_slot_async_starts_wait_for()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.sync_limited", "inputs": [ { "name": "ms", "type": "int", "required": true } ],
              "concurrency": { "limit": 1 }, "holdWhileAwaiting": true,
              "stack": [ { "sleep": "=$input.ms" } ], "response": "=$input.ms" }
            """);

        // An async execution holds the only slot (suspended in its sleep, it keeps it).
        var holder = await _app.StartAsync("flow.sync_limited", new { ms = 4000 });
        await TestApp.WaitUntilAsync(async () => (await UsageAsync("flow.sync_limited"))?.Running == 1);
        foreach (var mode in new[] { "run", "sync" })
        {
            using var refused = await RunAsync("flow.sync_limited", new { ms = 0 }, mode);
            var text = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)refused.StatusCode}: {text}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(text)!;
            Assert.Equal("flow.limit_full", problem["code"]!.GetValue<string>());
            Assert.Contains("concurrency limit", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, refused.Headers.ToString());
        }

        // The refusals left nothing behind: the holder's slot only, nobody waiting.
        var usage = await UsageAsync("flow.sync_limited");
        Assert.Equal((1, 0), (usage!.Running, usage.Waiting));
        await _app.WaitForAsync(holder, r => r["status"]!.GetValue<string>() == "Succeeded");

        // A sync run that gets the slot holds it: an async start made meanwhile waits for it.
        var sync = RunAsync("flow.sync_limited", new { ms = 2500 });
        await TestApp.WaitUntilAsync(async () => (await UsageAsync("flow.sync_limited"))?.Running == 1);
        var waiter = await _app.PostAsync("/api/functions/flow.sync_limited/executions", new { input = new { ms = 0 } }, HttpStatusCode.Accepted);
        Assert.Equal("Waiting", waiter["status"]!.GetValue<string>());
        using (var ran = await sync)
        {
            Assert.Equal(HttpStatusCode.OK, ran.StatusCode);
        }

        var admitted = await _app.WaitForAsync(waiter["id"]!.GetValue<string>(), r => r["status"]!.GetValue<string>() == "Succeeded");
        Assert.Equal(0, admitted["output"]!.GetValue<int>());
        await TestApp.WaitUntilAsync(async () => (await UsageAsync("flow.sync_limited"))?.Running == 0);
    }

    [Fact]
    public async Task A_sync_run_counts_in_its_rate_window_and_over_it_is_refused_until_the_window_frees()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.sync_rated", "rateLimit": { "limit": 1, "periodSeconds": 30 }, "stack": [], "response": "=1" }
            """);

        using (var first = await RunAsync("flow.sync_rated", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await RunAsync("flow.sync_rated", new { });
        var text = await second.Content.ReadAsStringAsync();
        Assert.True(second.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)second.StatusCode}: {text}");
        Assert.Contains("rate limit", JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(second.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 30 }, second.Headers.ToString());

        // The sync run counted: an async start now is delayed to the next window.
        var delayed = await _app.PostAsync("/api/functions/flow.sync_rated/executions", new { input = new { } }, HttpStatusCode.Accepted);
        var id = delayed["id"]!.GetValue<string>();
        var scheduled = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() is "Scheduled" or "Succeeded");
        Assert.Equal("Scheduled", scheduled["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sync_run_whose_limit_key_fails_is_a_400_naming_the_key()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.sync_keyed", "concurrency": { "limit": 1, "key": "=$input.customer.id.length" }, "stack": [], "response": "=1" }
            """);

        using var response = await RunAsync("flow.sync_keyed", new { other = 1 });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.NotNull(JsonNode.Parse(text)!["errors"]!["concurrency[0].key"]);
    }

    [Fact]
    public async Task A_sync_run_whose_row_the_database_refuses_gives_its_slot_back_at_once()
    {
        // An app of its own: its database gets a trigger that refuses the run's row.
        using var app = new TestApp();
        await app.SaveStackAsync("""
            { "name": "flow.sync_refused", "concurrency": { "limit": 1 }, "stack": [], "response": "=1" }
            """);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TRIGGER test_refuse_row BEFORE INSERT ON af_executions
                WHEN NEW.function_name = 'flow.sync_refused'
                BEGIN SELECT RAISE(ABORT, 'the test refuses this row'); END
                """;
            await create.ExecuteNonQueryAsync();
        }

        var client = app.CreateClient();
        using (var refused = await client.PostAsJsonAsync("/api/functions/flow.sync_refused/run", new { input = new { } }, TestApp.Json))
        {
            Assert.False(refused.IsSuccessStatusCode, await refused.Content.ReadAsStringAsync());
            Assert.NotEqual(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        // The run never happened: its slot is free now, not after the orphan sweep (a minute).
        var store = app.Services.GetRequiredService<IFlowAdmissionStore>();
        var usage = (await store.ListUsageAsync()).FirstOrDefault(u => u.Function == "flow.sync_refused");
        Assert.Equal(0, usage?.Running ?? 0);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TRIGGER test_refuse_row";
            await drop.ExecuteNonQueryAsync();
        }

        using var next = await client.PostAsJsonAsync("/api/functions/flow.sync_refused/run", new { input = new { } }, TestApp.Json);
        Assert.True(next.StatusCode == HttpStatusCode.OK, $"{(int)next.StatusCode}: {await next.Content.ReadAsStringAsync()}");
    }
}
