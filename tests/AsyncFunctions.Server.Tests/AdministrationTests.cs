using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// <c>POST /api/executions/{id}/cancel</c> and <c>/retry</c> on the real server: a cancel stops the
/// run (the worker is free again), reaches the tree below with <c>?children=true</c>, and a retry
/// runs a failed execution again under its own id.
/// </summary>
public sealed class AdministrationTests
{
    private static readonly Dictionary<string, string?> SlowCancelCheck = new()
    {
        // Hangfire's own check of deleted jobs is far away: only this node's fast path can stop the run in time.
        ["AsyncFunctions:Server:CancellationCheckInterval"] = "00:10:00",
    };

    [Fact]
    public async Task Cancelling_a_stack_in_an_endless_loop_stops_it_and_frees_its_worker()
    {
        using var app = new TestApp(workers: 1, settings: SlowCancelCheck);
        await app.SaveStackAsync("""
            { "name": "admin.forever", "stack": [ { "while": "=true", "do": [ { "sleep": 20 } ] } ], "response": 1 }
            """);
        var id = await app.StartAsync("admin.forever", new { });
        await app.WaitForAsync(id, r => Status(r) == "Processing");

        var cancelled = await app.PostAsync($"/api/executions/{id}/cancel", new { }, HttpStatusCode.OK);

        Assert.Equal("Cancelled", Status(cancelled));
        Assert.Equal("execution.cancelled", cancelled["error"]!["code"]!.GetValue<string>());
        await AssertWorkerFreeAsync(app);
        Assert.Equal("Cancelled", Status(await app.GetAsync($"/api/executions/{id}")));
    }

    [Fact]
    public async Task Cancelling_a_sleeping_csharp_function_stops_it_and_frees_its_worker()
    {
        using var app = new TestApp(workers: 1, settings: SlowCancelCheck);
        var id = await app.StartAsync("examples.echo", new { value = 1, delayMs = 600_000 });
        await app.WaitForAsync(id, r => Status(r) == "Processing");

        var cancelled = await app.PostAsync($"/api/executions/{id}/cancel", new { }, HttpStatusCode.OK);

        Assert.Equal("Cancelled", Status(cancelled));
        await AssertWorkerFreeAsync(app);
    }

    [Fact]
    public async Task Cancelling_an_enqueued_execution_means_it_never_runs()
    {
        using var app = new TestApp(workers: 1, settings: SlowCancelCheck);
        var blocker = await app.StartAsync("examples.echo", new { value = 0, delayMs = 600_000 });
        await app.WaitForAsync(blocker, r => Status(r) == "Processing");
        var queued = await app.StartAsync("examples.echo", new { value = 1 });

        Assert.Equal("Cancelled", Status(await app.PostAsync($"/api/executions/{queued}/cancel", new { }, HttpStatusCode.OK)));
        await app.PostAsync($"/api/executions/{blocker}/cancel", new { }, HttpStatusCode.OK);
        await AssertWorkerFreeAsync(app);

        var record = await app.GetAsync($"/api/executions/{queued}");
        Assert.Equal("Cancelled", Status(record));
        Assert.Equal(0, record["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Cancelling_with_children_cancels_the_unfinished_tree_below()
    {
        using var app = new TestApp(workers: 4, settings: SlowCancelCheck);
        await app.SaveStackAsync("""
            { "name": "admin.parent", "stack": [
                { "call": "examples.echo", "async": true, "input": { "value": 1, "delayMs": 600000 }, "as": "a" },
                { "call": "examples.echo", "async": true, "input": { "value": 2, "delayMs": 600000 }, "as": "b" },
                { "await": ["=$var.a", "=$var.b"], "timeoutSeconds": 600 } ],
              "response": 1 }
            """);
        var parent = await app.StartAsync("admin.parent", new { });
        var children = await WaitForChildrenAsync(app, parent, 2);
        await app.WaitForAsync(parent, r => Status(r) == "Awaiting");

        var cancelled = await app.PostAsync($"/api/executions/{parent}/cancel?children=true", new { }, HttpStatusCode.OK);

        Assert.Equal("Cancelled", Status(cancelled));
        Assert.Equal(children.Order(StringComparer.Ordinal), cancelled["cancelledChildren"]!.AsArray().Select(c => c!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var child in children)
        {
            Assert.Equal("Cancelled", Status(await app.GetAsync($"/api/executions/{child}")));
        }
    }

    [Fact]
    public async Task Cancelling_without_children_leaves_them_running()
    {
        using var app = new TestApp(workers: 4);
        await app.SaveStackAsync("""
            { "name": "admin.parent_one", "stack": [
                { "call": "examples.echo", "async": true, "input": { "value": 1, "delayMs": 600000 }, "as": "a" },
                { "await": "=$var.a", "timeoutSeconds": 600 } ],
              "response": 1 }
            """);
        var parent = await app.StartAsync("admin.parent_one", new { });
        var child = (await WaitForChildrenAsync(app, parent, 1))[0];

        var cancelled = await app.PostAsync($"/api/executions/{parent}/cancel", new { }, HttpStatusCode.OK);

        Assert.Null(cancelled["cancelledChildren"]);
        Assert.False(IsTerminal(Status(await app.GetAsync($"/api/executions/{child}"))));
        await app.PostAsync($"/api/executions/{child}/cancel", new { }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Cancel_of_a_finished_execution_and_retry_of_an_unfinished_or_succeeded_one_are_409()
    {
        using var app = new TestApp(workers: 1);
        var done = await app.StartAsync("examples.echo", new { value = 1 });
        await app.WaitForAsync(done, r => Status(r) == "Succeeded");
        var running = await app.StartAsync("examples.echo", new { value = 1, delayMs = 600_000 });
        await app.WaitForAsync(running, r => Status(r) == "Processing");

        var finished = await app.PostAsync($"/api/executions/{done}/cancel", new { }, HttpStatusCode.Conflict);
        await app.PostAsync($"/api/executions/{done}/retry", new { }, HttpStatusCode.Conflict);
        await app.PostAsync($"/api/executions/{running}/retry", new { }, HttpStatusCode.Conflict);
        await app.PostAsync($"/api/executions/{running}/cancel", new { }, HttpStatusCode.OK);
        await app.PostAsync($"/api/executions/{running}/cancel", new { }, HttpStatusCode.Conflict);

        Assert.Equal(409, finished["status"]!.GetValue<int>());
        Assert.Equal("Succeeded", Status(await app.GetAsync($"/api/executions/{done}")));
        await app.PostAsync("/api/executions/nope/cancel", new { }, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Retrying_a_failed_execution_runs_it_again_under_its_own_id()
    {
        using var app = new TestApp(workers: 1);
        var id = await app.StartAsync("examples.fail", new { message = "boom" });
        await app.WaitForAsync(id, r => Status(r) == "Failed");

        var retried = await app.PostAsync($"/api/executions/{id}/retry", new { }, HttpStatusCode.OK);

        Assert.Equal(id, retried["id"]!.GetValue<string>());
        var record = await app.WaitForAsync(id, r => Status(r) == "Failed" && r["attempts"]!.GetValue<int>() == 2);
        Assert.Equal("examples.failed", record["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Retrying_a_cancelled_execution_runs_it_to_the_end()
    {
        using var app = new TestApp(workers: 1);
        var blocker = await app.StartAsync("examples.echo", new { value = 0, delayMs = 600_000 });
        await app.WaitForAsync(blocker, r => Status(r) == "Processing");
        var queued = await app.StartAsync("examples.echo", new { value = 7 });
        await app.PostAsync($"/api/executions/{queued}/cancel", new { }, HttpStatusCode.OK);
        await app.PostAsync($"/api/executions/{blocker}/cancel", new { }, HttpStatusCode.OK);

        await app.PostAsync($"/api/executions/{queued}/retry", new { }, HttpStatusCode.OK);

        var record = await app.WaitForAsync(queued, r => Status(r) == "Succeeded");
        Assert.Equal(7, record["output"]!.GetValue<int>());
    }

    [Fact]
    public async Task Retrying_after_a_restart_of_the_embedded_default_starts_a_new_execution_linked_both_ways()
    {
        string id;
        string database;
        using (var first = new TestApp(workers: 1))
        {
            database = first.DatabasePath;
            id = await first.StartAsync("examples.echo", new { value = "again", delayMs = 600_000 });
            await first.WaitForAsync(id, r => Status(r) == "Processing");
        }

        using var second = new TestApp(workers: 1, databasePath: database);
        Assert.Equal("execution.lost", (await second.GetAsync($"/api/executions/{id}"))["error"]!["code"]!.GetValue<string>());

        using var response = await second.CreateClient().PostAsync(new Uri($"/api/executions/{id}/retry", UriKind.Relative), null);
        var retry = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, retry.ToJsonString());
        var retryId = retry["id"]!.GetValue<string>();
        Assert.NotEqual(id, retryId);
        Assert.Equal($"/api/executions/{retryId}", response.Headers.Location?.OriginalString);
        Assert.Equal(id, retry["retryOf"]!.GetValue<string>());
        Assert.Equal(retryId, (await second.GetAsync($"/api/executions/{id}"))["retriedBy"]!.GetValue<string>());
        Assert.Equal(TestKeys.AdminName, retry["caller"]!["key"]!.GetValue<string>());
        await second.PostAsync($"/api/executions/{retryId}/cancel", new { }, HttpStatusCode.OK);
        var record = await second.GetAsync($"/api/executions/{retryId}");
        Assert.Equal(id, record["retryOf"]!.GetValue<string>());
        Assert.Equal("again", record["input"]!["value"]!.GetValue<string>());
        await second.PostAsync($"/api/executions/{id}/retry", new { }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_invoker_may_cancel_and_retry_only_its_own_executions_and_a_viewer_none()
    {
        using var app = new TestApp(workers: 2);
        using var one = app.ClientAs(TestKeys.Invoker);
        using var two = app.ClientAs(TestKeys.OtherInvoker);
        using var viewer = app.ClientAs(TestKeys.Viewer);
        var mine = await StartAsync(one, "examples.echo", new { value = 1, delayMs = 600_000 });
        await app.WaitForAsync(mine, r => Status(r) == "Processing");

        Assert.Equal(HttpStatusCode.NotFound, await PostStatusAsync(two, $"/api/executions/{mine}/cancel"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostStatusAsync(viewer, $"/api/executions/{mine}/cancel"));
        Assert.False(IsTerminal(Status(await app.GetAsync($"/api/executions/{mine}"))));
        Assert.Equal(HttpStatusCode.OK, await PostStatusAsync(one, $"/api/executions/{mine}/cancel"));

        Assert.Equal(HttpStatusCode.NotFound, await PostStatusAsync(two, $"/api/executions/{mine}/retry"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostStatusAsync(viewer, $"/api/executions/{mine}/retry"));
        Assert.Equal(HttpStatusCode.OK, await PostStatusAsync(one, $"/api/executions/{mine}/retry"));
        await app.WaitForAsync(mine, r => !IsTerminal(Status(r)));
        await app.PostAsync($"/api/executions/{mine}/cancel", new { }, HttpStatusCode.OK);
    }

    private static string Status(JsonObject record) => record["status"]!.GetValue<string>();

    private static bool IsTerminal(string status) => status is "Succeeded" or "Failed" or "Cancelled";

    /// <summary>The single worker runs a new execution to the end: the cancelled run let go of it.</summary>
    private static async Task AssertWorkerFreeAsync(TestApp app)
    {
        var next = await app.StartAsync("examples.echo", new { value = "next" });
        var result = (await app.AwaitAsync([next], timeoutSeconds: 60))["results"]![0]!;
        Assert.True(result["status"]!.GetValue<string>() == "Succeeded", "The worker was not freed: " + result.ToJsonString());
    }

    private static async Task<string[]> WaitForChildrenAsync(TestApp app, string parent, int count)
    {
        string[] ids = [];
        await TestApp.WaitUntilAsync(async () =>
        {
            var page = await app.GetAsync($"/api/executions?parentId={parent}&limit=500");
            ids = [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
            return ids.Length == count;
        });
        return ids;
    }

    private static async Task<string> StartAsync(HttpClient client, string function, object input)
    {
        using var response = await client.PostAsJsonAsync($"/api/functions/{function}/executions", new { input });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static async Task<HttpStatusCode> PostStatusAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), null);
        return response.StatusCode;
    }

}
