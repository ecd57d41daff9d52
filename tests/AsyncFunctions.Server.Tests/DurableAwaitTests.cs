using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Hangfire.Resuming;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// An async function stack that awaits or sleeps gives its worker back (status Awaiting) and is
/// resumed exactly once, on the embedded default. With blocking awaits, the first two tests stall:
/// two workers held by two waiting parents leave none for the children.
/// </summary>
public sealed class DurableAwaitTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["AsyncFunctions:Execution:ResumeSweepInterval"] = "00:00:00.100",
        ["AsyncFunctions:Await:MaxTimeout"] = "00:10:00",
    };

    [Fact]
    public async Task Fifty_parents_each_awaiting_five_children_suspend_and_resume_once_on_two_workers()
    {
        using var app = new TestApp(workers: 2, settings: Settings);
        // Every child awaits one gated execution, which holds one of the two workers until the
        // test opens it: no child can finish before every parent suspended, so each parent must
        // give its worker back and be resumed, exactly once.
        await app.SaveStackAsync("""
            { "name": "durable.after_gate", "inputs": [ { "name": "gateId", "type": "text", "required": true }, { "name": "value", "type": "int", "required": true } ],
              "stack": [ { "await": "=$input.gateId", "timeoutSeconds": 600, "as": "opened" } ],
              "response": "=$input.value" }
            """);
        await app.SaveStackAsync("""
            { "name": "durable.fan_out", "inputs": [ { "name": "n", "type": "int", "required": true }, { "name": "gateId", "type": "text", "required": true } ],
              "stack": [
                { "var": "ids", "value": [] },
                { "for": 5, "index": "i", "do": [
                    { "call": "durable.after_gate", "async": true, "input": { "gateId": "=$input.gateId", "value": "=$input.n * 10 + $var.i" }, "as": "id" },
                    { "set": "ids", "op": "push", "value": "=$var.id" } ] },
                { "await": "=$var.ids", "timeoutSeconds": 600, "as": "outputs" } ],
              "response": "=$var.outputs" }
            """);
        var gate = Guid.NewGuid().ToString("N");
        var gateId = await app.StartAsync("tests.gated", new { gate });
        await app.WaitForAsync(gateId, r => r["status"]!.GetValue<string>() == "Processing");

        var parents = await Task.WhenAll(Enumerable.Range(0, 50).Select(n => app.StartAsync("durable.fan_out", new { n, gateId })));
        await TestApp.WaitUntilAsync(async () =>
            (await app.GetAsync("/api/executions?function=durable.fan_out&status=Awaiting&limit=100"))["items"]!.AsArray().Count == parents.Length);
        TestFunctions.Gates.Release(gate);
        var outcome = await app.AwaitAsync(parents, timeoutSeconds: 600);

        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        for (var n = 0; n < parents.Length; n++)
        {
            var result = outcome["results"]![n]!;
            Assert.True(result["status"]!.GetValue<string>() == "Succeeded", result.ToJsonString());
            Assert.Equal($"[{n * 10},{n * 10 + 1},{n * 10 + 2},{n * 10 + 3},{n * 10 + 4}]", result["output"]!.ToJsonString());
            var record = await app.GetAsync($"/api/executions/{parents[n]}");
            Assert.Equal(1, record["attempts"]!.GetValue<int>());
            Assert.Equal(1, record["resumes"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task A_chain_of_thirty_nested_async_calls_each_awaiting_the_next_succeeds_on_two_workers()
    {
        using var app = new TestApp(workers: 2, settings: Settings);
        await app.SaveStackAsync("""
            { "name": "durable.chain", "inputs": [ { "name": "n", "type": "int", "required": true } ],
              "stack": [
                { "if": "=$input.n > 0", "then": [
                    { "call": "durable.chain", "async": true, "input": { "n": "=$input.n - 1" }, "as": "below" },
                    { "await": "=$var.below", "timeoutSeconds": 600, "as": "depth" },
                    { "return": "=$var.depth + 1" } ] } ],
              "response": 0 }
            """);

        var root = await app.StartAsync("durable.chain", new { n = 30 });
        var result = (await app.AwaitAsync([root], timeoutSeconds: 600))["results"]![0]!;

        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal(30, result["output"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_waiting_parent_shows_Awaiting_with_what_it_waits_for_and_resumes_once_when_all_finish_together()
    {
        using var app = new TestApp(workers: 24, settings: Settings);
        await SaveFanOutToGatedAsync(app);
        var gate = Guid.NewGuid().ToString("N");

        var parent = await app.StartAsync("durable.gated_fan_out", new { gate, count = 20, timeoutSeconds = 600 });
        var waiting = await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting");
        var children = waiting["waitingFor"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();

        Assert.Equal(20, children.Length);
        Assert.NotNull(waiting["awaitingSince"]);
        Assert.NotNull(waiting["wakeAt"]);
        var listed = await app.GetAsync("/api/executions?status=Awaiting");
        Assert.Contains(listed["items"]!.AsArray(), i => i!["id"]!.GetValue<string>() == parent);
        var polled = await app.GetAsync($"/api/executions/{parent}?waitSeconds=1");
        Assert.Equal("Awaiting", polled["status"]!.GetValue<string>());
        var restAwait = await app.AwaitAsync([parent], timeoutSeconds: 0.5);
        Assert.False(restAwait["completed"]!.GetValue<bool>());

        // Twenty children finish at the same moment; each one's end may find the parent ready.
        await TestApp.WaitUntilAsync(async () => (await app.GetAsync($"/api/executions?status=Processing&limit=100"))["items"]!.AsArray().Count == 20);
        TestFunctions.Gates.Release(gate);

        var result = (await app.AwaitAsync([parent], timeoutSeconds: 120))["results"]![0]!;
        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, 20).Sum(), result["output"]!.GetValue<int>());
        var record = await app.GetAsync($"/api/executions/{parent}");
        Assert.Equal(1, record["resumes"]!.GetValue<int>());
        Assert.Equal(1, record["attempts"]!.GetValue<int>());
        Assert.Null(record["waitingFor"]);
    }

    [Fact]
    public async Task A_deadline_that_passes_while_suspended_resumes_the_parent_with_await_timeout_and_what_is_pending()
    {
        using var app = new TestApp(workers: 2, settings: Settings);
        await SaveFanOutToGatedAsync(app);
        var gate = Guid.NewGuid().ToString("N");

        var parent = await app.StartAsync("durable.gated_fan_out", new { gate, count = 1, timeoutSeconds = 1 });
        var waiting = await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting");
        var child = waiting["waitingFor"]![0]!.GetValue<string>();

        var result = (await app.AwaitAsync([parent], timeoutSeconds: 60))["results"]![0]!;
        TestFunctions.Gates.Release(gate);

        Assert.Equal("Failed", result["status"]!.GetValue<string>());
        Assert.Equal("await.timeout", result["error"]!["code"]!.GetValue<string>());
        Assert.Equal($"[\"{child}\"]", result["error"]!["data"]!["pending"]!.ToJsonString());
    }

    [Fact]
    public async Task Deleting_a_suspended_job_cancels_it_and_a_child_finishing_later_does_not_resume_it()
    {
        using var app = new TestApp(workers: 2, settings: Settings);
        await SaveFanOutToGatedAsync(app);
        var gate = Guid.NewGuid().ToString("N");
        var parent = await app.StartAsync("durable.gated_fan_out", new { gate, count = 1, timeoutSeconds = 600 });
        var child = (await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting"))["waitingFor"]![0]!.GetValue<string>();

        Assert.True(app.Services.GetRequiredService<IBackgroundJobClient>().Delete(parent));
        await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Cancelled");
        TestFunctions.Gates.Release(gate);
        await app.WaitForAsync(child, r => r["status"]!.GetValue<string>() == "Succeeded");

        // Whatever the sweep would find now, it finds nothing to resume.
        Assert.Equal(0, await app.Services.GetRequiredService<SuspensionResumer>().SweepOnceAsync(CancellationToken.None));
        var record = await app.GetAsync($"/api/executions/{parent}");
        Assert.Equal("Cancelled", record["status"]!.GetValue<string>());
        Assert.Equal(0, record["resumes"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_long_sleep_holds_no_worker_and_resumes_through_the_scheduler()
    {
        using var app = new TestApp(workers: 1, settings: Settings);
        await app.SaveStackAsync("""
            { "name": "durable.sleeper", "stack": [ { "sleep": 3000 } ], "response": "woke" }
            """);

        var sleeper = await app.StartAsync("durable.sleeper", new { });
        var asleep = await app.WaitForAsync(sleeper, r => r["status"]!.GetValue<string>() == "Awaiting");
        Assert.Equal("[]", asleep["waitingFor"]!.ToJsonString());

        // The only worker is free: another execution runs while the sleeper sleeps.
        var other = await app.StartAsync("examples.echo", new { value = "ran" });
        var otherResult = (await app.AwaitAsync([other], timeoutSeconds: 60))["results"]![0]!;
        Assert.Equal("ran", otherResult["output"]!.GetValue<string>());

        var result = (await app.AwaitAsync([sleeper], timeoutSeconds: 60))["results"]![0]!;
        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal("woke", result["output"]!.GetValue<string>());
        Assert.Equal(1, (await app.GetAsync($"/api/executions/{sleeper}"))["resumes"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_sync_run_waits_in_place_and_keeps_the_bound_of_a_run_that_holds_its_worker()
    {
        using var app = new TestApp(workers: 2, settings: Settings);
        await app.SaveStackAsync("""
            { "name": "durable.sync_await", "inputs": [ { "name": "timeoutSeconds", "type": "decimal", "required": true } ],
              "stack": [
                { "call": "examples.echo", "async": true, "input": { "value": 7, "delayMs": 300 }, "as": "id" },
                { "await": "=$var.id", "timeoutSeconds": "=$input.timeoutSeconds", "as": "seven" } ],
              "response": "=$var.seven" }
            """);

        var ok = await app.PostAsync("/api/functions/durable.sync_await/executions", new { mode = "sync", input = new { timeoutSeconds = 60 } }, HttpStatusCode.OK);
        Assert.Equal(7, ok["output"]!.GetValue<int>());
        Assert.Equal(0, (await app.GetAsync($"/api/executions/{ok["id"]!.GetValue<string>()}"))["resumes"]!.GetValue<int>());

        // A week is fine for an async execution, which suspends; a sync run holds its worker and keeps the day's bound.
        var week = await app.PostAsync("/api/functions/durable.sync_await/executions", new { mode = "sync", input = new { timeoutSeconds = 604800 } }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("from 0 to 86400", week["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var asyncWeek = await app.StartAsync("durable.sync_await", new { timeoutSeconds = 604800 });
        Assert.Equal(7, (await app.AwaitAsync([asyncWeek], timeoutSeconds: 60))["results"]![0]!["output"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_dashboard_shows_a_suspended_job_with_links_to_the_jobs_it_waits_for()
    {
        using var app = new TestApp(workers: 2, settings: Settings);
        await SaveFanOutToGatedAsync(app);
        var gate = Guid.NewGuid().ToString("N");
        var parent = await app.StartAsync("durable.gated_fan_out", new { gate, count = 2, timeoutSeconds = 600 });
        var children = (await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting"))["waitingFor"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();

        // The record says Awaiting just before Hangfire commits the Suspended state: wait for the commit.
        var html = "";
        await TestApp.WaitUntilAsync(async () =>
        {
            using var page = await app.CreateClient().GetAsync(new Uri($"/hangfire/jobs/details/{parent}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            html = await page.Content.ReadAsStringAsync();
            return html.Contains("Suspended", StringComparison.Ordinal);
        });
        TestFunctions.Gates.Release(gate);

        Assert.Contains("Waiting for:", html, StringComparison.Ordinal);
        foreach (var child in children)
        {
            Assert.Contains($"jobs/details/{child}\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task On_the_embedded_default_a_restart_ends_a_suspended_execution_as_lost_instead_of_leaving_it_Awaiting()
    {
        string parent;
        string database;
        var gate = Guid.NewGuid().ToString("N");
        using (var first = new TestApp(workers: 2, settings: Settings))
        {
            database = first.DatabasePath;
            await SaveFanOutToGatedAsync(first);
            parent = await first.StartAsync("durable.gated_fan_out", new { gate, count = 1, timeoutSeconds = 600 });
            await first.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting");
        }

        using var second = new TestApp(workers: 2, databasePath: database, settings: Settings);
        var record = await second.GetAsync($"/api/executions/{parent}");
        TestFunctions.Gates.Release(gate);

        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.Equal("execution.lost", record["error"]!["code"]!.GetValue<string>());
        Assert.Null(record["waitingFor"]);
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_Awaiting_among_the_statuses_of_the_list_filter()
    {
        using var app = new TestApp(workers: 1);

        var document = JsonNode.Parse(await app.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;

        var list = document["paths"]!["/api/executions"]!["get"]!;
        var status = list["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "status")!;
        var names = status["schema"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(Enum.GetNames<Executions.ExecutionStatus>(), names);
        Assert.Contains("Awaiting", names);
    }

    private static Task SaveFanOutToGatedAsync(TestApp app) => app.SaveStackAsync("""
        { "name": "durable.gated_fan_out",
          "inputs": [ { "name": "gate", "type": "text", "required": true }, { "name": "count", "type": "int", "required": true },
                      { "name": "timeoutSeconds", "type": "decimal", "required": true } ],
          "stack": [
            { "var": "ids", "value": [] },
            { "for": "=$input.count", "index": "i", "do": [
                { "call": "tests.gated", "async": true, "input": { "gate": "=$input.gate", "value": "=$var.i" }, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" } ] },
            { "await": "=$var.ids", "timeoutSeconds": "=$input.timeoutSeconds", "as": "outputs" },
            { "lambda": "return $var.outputs.reduce((a, b) => a + b, 0);", "as": "sum" } ],
          "response": "=$var.sum" }
        """);

}
