using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

public sealed class AsyncExecutionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task An_async_run_is_one_hangfire_job_whose_id_is_the_execution_id()
    {
        using var response = await _app.CreateClient().PostAsync(
            new Uri("/api/functions/examples.echo/executions", UriKind.Relative),
            new StringContent("""{ "input": { "value": { "hello": "world" } } }""", System.Text.Encoding.UTF8, "application/json"));
        var record = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var id = record["id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/executions/{id}", response.Headers.Location!.OriginalString);
        Assert.True(Guid.TryParse(id, out _), $"execution id {id} should be a GUID job id");

        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetJobData(id);
        Assert.NotNull(job);
        Assert.Equal("examples.echo", job.Job.Args[0]);

        var awaited = await _app.AwaitAsync([id]);
        Assert.True(awaited["completed"]!.GetValue<bool>());
        Assert.Equal("""{"hello":"world"}""", awaited["results"]![0]!["output"]!.ToJsonString());
    }

    [Fact]
    public async Task A_job_runs_on_its_hangfire_worker_thread_without_a_thread_pool_hop()
    {
        var id = await _app.StartAsync("tests.where_it_runs", new { });

        var awaited = await _app.AwaitAsync([id]);
        var output = awaited["results"]![0]!["output"]!;

        Assert.Equal("Succeeded", awaited["results"]![0]!["status"]!.GetValue<string>());
        Assert.False(output["poolThread"]!.GetValue<bool>(), $"ran on thread '{output["thread"]}'");
    }

    [Fact]
    public async Task Await_keeps_request_order_and_per_id_status_for_a_mix_of_outcomes()
    {
        var slow = await _app.StartAsync("examples.echo", new { value = "slow", delayMs = 300 });
        var failing = await _app.StartAsync("examples.fail", new { message = "it broke" });
        var fast = await _app.StartAsync("examples.echo", new { value = 42 });

        var outcome = await _app.AwaitAsync([slow, failing, fast]);
        var results = outcome["results"]!.AsArray();

        Assert.True(outcome["completed"]!.GetValue<bool>());
        Assert.Equal([slow, failing, fast], results.Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal(["Succeeded", "Failed", "Succeeded"], results.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal("slow", results[0]!["output"]!.GetValue<string>());
        Assert.Equal("it broke", results[1]!["error"]!["message"]!.GetValue<string>());
        Assert.Equal("examples.failed", results[1]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(42, results[2]!["output"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_timeout_is_not_an_error_and_the_pending_execution_keeps_its_status()
    {
        var id = await _app.StartAsync("examples.echo", new { value = 1, delayMs = 5_000 });

        var outcome = await _app.AwaitAsync([id], timeoutSeconds: 0.3);
        var result = outcome["results"]![0]!;

        Assert.False(outcome["completed"]!.GetValue<bool>());
        Assert.Contains(result["status"]!.GetValue<string>(), new[] { "Enqueued", "Processing" });
        Assert.Null(result["output"]);
    }

    [Fact]
    public async Task The_execution_record_shows_its_whole_life()
    {
        var id = await _app.StartAsync("examples.echo", new { value = "x" });
        var record = await _app.GetAsync($"/api/executions/{id}?waitSeconds=30");

        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal("examples.echo", record["function"]!.GetValue<string>());
        Assert.Equal("""{"value":"x","delayMs":0}""", record["input"]!.ToJsonString());
        Assert.Equal("x", record["output"]!.GetValue<string>());
        Assert.Equal(1, record["attempts"]!.GetValue<int>());
        Assert.NotNull(record["startedAt"]);
        Assert.NotNull(record["completedAt"]);
        Assert.True(record["createdAt"]!.GetValue<DateTimeOffset>() <= record["completedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Long_polling_returns_once_the_execution_is_terminal()
    {
        var id = await _app.StartAsync("examples.echo", new { value = 7, delayMs = 200 });

        var record = await _app.GetAsync($"/api/executions/{id}?waitSeconds=30");

        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(7, record["output"]!.GetValue<int>());
    }

    [Fact]
    public async Task Children_started_inside_a_job_record_their_parent_and_are_awaited()
    {
        var parent = await _app.StartAsync("tests.fanout", new { count = 5 });

        var outcome = await _app.AwaitAsync([parent]);
        var children = await _app.GetAsync($"/api/executions?parentId={parent}&limit=100");

        Assert.Equal("[0,1,2,3,4]", outcome["results"]![0]!["output"]!.ToJsonString());
        var items = children["items"]!.AsArray();
        Assert.Equal(5, items.Count);
        Assert.All(items, c =>
        {
            Assert.Equal(parent, c!["parentId"]!.GetValue<string>());
            Assert.Equal(1, c["callDepth"]!.GetValue<int>());
        });
    }

    [Fact]
    public async Task A_function_with_retries_runs_again_after_a_failure()
    {
        var id = await _app.StartAsync("tests.flaky", new { });

        var result = (await _app.AwaitAsync([id]))["results"]![0]!;
        var record = await _app.GetAsync($"/api/executions/{id}");

        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal(2, record["attempts"]!.GetValue<int>());
        Assert.Equal(2, record["output"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_function_over_its_timeout_fails_with_a_timeout_error()
    {
        var id = await _app.StartAsync("tests.slow", new { });

        var result = (await _app.AwaitAsync([id]))["results"]![0]!;

        Assert.Equal("Failed", result["status"]!.GetValue<string>());
        Assert.Equal("execution.timeout", result["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sync_mode_runs_in_the_request()
    {
        var ok = await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = new[] { 1, 2 } }, mode = "sync" }, HttpStatusCode.OK);
        var failed = await _app.PostAsync("/api/functions/examples.fail/executions", new { input = new { message = "nope" }, mode = "sync" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("[1,2]", ok["output"]!.ToJsonString());
        Assert.Equal("nope", failed["detail"]!.GetValue<string>());
        Assert.Equal("examples.failed", failed["error"]!["code"]!.GetValue<string>());
        var record = await _app.GetAsync($"/api/executions/{failed["executionId"]!.GetValue<string>()}");
        Assert.Equal("Failed", record["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Executions_are_listed_newest_first_in_pages()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _app.StartAsync("examples.fail", new { message = $"page-{i}" }));
        }

        await _app.AwaitAsync(ids);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _app.GetAsync($"/api/executions?function=examples.fail&status=Failed&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}");
            var items = page["items"]!.AsArray();
            seen.AddRange(items.Select(i => i!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();

            // A full page while more follow, then what is left: never an empty page, since our five match.
            Assert.InRange(items.Count, cursor is null ? 1 : 2, 2);
            Assert.All(items, i => Assert.Equal(("examples.fail", "Failed"), (i!["function"]!.GetValue<string>(), i["status"]!.GetValue<string>())));
        }
        while (cursor is not null);

        var ours = seen.Where(ids.Contains).ToList();
        ids.Reverse();
        Assert.Equal(ids, ours);
    }

    [Fact]
    public async Task Functions_are_listed_with_their_inputs()
    {
        var echo = await _app.GetAsync("/api/functions/examples.echo");
        using var list = await _app.CreateClient().GetAsync(new Uri("/api/functions", UriKind.Relative));
        var names = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray().Select(f => f!["name"]!.GetValue<string>());

        Assert.Contains("examples.fail", names);
        Assert.Equal(["value", "delayMs"], echo["inputs"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Equal("int", echo["inputs"]![1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_answers_when_the_storage_is_reachable()
    {
        using var response = await _app.CreateClient().GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
