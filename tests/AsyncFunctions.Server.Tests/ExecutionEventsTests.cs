using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// <c>GET /api/executions/{id}/events</c> and <c>GET /api/executions/events</c> over HTTP with
/// real workers. The shared server polls the results table only every ten minutes, so the
/// changes its streams show arrive through the in-process notifications; the poll, the
/// keep-alive and the lifetime are tested on servers of their own with short settings.
/// </summary>
public sealed class ExecutionEventsTests(ExecutionEventsTests.NotifiedApp shared) : IClassFixture<ExecutionEventsTests.NotifiedApp>
{
    private readonly TestApp _app = shared.App;

    public sealed class NotifiedApp : IDisposable
    {
        public TestApp App { get; } = new(settings: new Dictionary<string, string?> { ["AsyncFunctions:Api:EventPollSeconds"] = "600" });

        public void Dispose() => App.Dispose();
    }

    [Fact]
    public async Task A_gated_execution_streams_Processing_then_Succeeded_and_closes()
    {
        var gate = Guid.NewGuid().ToString("N");
        var id = await _app.StartAsync("tests.gated", new { gate, value = "done" });
        await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");

        using var stream = await SseStream.OpenAsync(_app.CreateClient(), $"/api/executions/{id}/events");
        var first = await stream.NextEventAsync();
        Assert.Equal("status", first.Event);
        Assert.Equal("1", first.Id);
        Assert.Equal("Processing", first.Status);
        Assert.Equal(id, first.Json["id"]!.GetValue<string>());
        Assert.Null(first.Json["logs"]);

        TestFunctions.Gates.Release(gate);
        var last = await stream.NextEventAsync();
        Assert.Equal("Succeeded", last.Status);
        Assert.Equal("2", last.Id);
        Assert.Equal("done", last.Json["output"]!.GetValue<string>());
        var end = await stream.NextEventAsync();
        Assert.Equal("end", end.Event);
        Assert.Equal("finished", end.Json["reason"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task A_queued_execution_streams_Enqueued_Processing_and_Succeeded_in_order()
    {
        // One worker, held by a first execution: the second stays Enqueued until the test lets it run.
        using var app = new TestApp(workers: 1, settings: new Dictionary<string, string?> { ["AsyncFunctions:Api:EventPollSeconds"] = "600" });
        var holdGate = Guid.NewGuid().ToString("N");
        var gate = Guid.NewGuid().ToString("N");
        var hold = await app.StartAsync("tests.gated", new { gate = holdGate });
        try
        {
            await app.WaitForAsync(hold, r => r["status"]!.GetValue<string>() == "Processing");
            var id = await app.StartAsync("tests.gated", new { gate, value = 1 });

            using var stream = await SseStream.OpenAsync(app.CreateClient(), $"/api/executions/{id}/events");
            Assert.Equal("Enqueued", (await stream.NextEventAsync()).Status);
            TestFunctions.Gates.Release(holdGate);
            var processing = await stream.NextEventAsync();
            Assert.Equal(("2", "Processing", 1), (processing.Id, processing.Status, processing.Json["attempts"]!.GetValue<int>()));
            TestFunctions.Gates.Release(gate);
            Assert.Equal("Succeeded", (await stream.NextEventAsync()).Status);
            Assert.Equal("end", (await stream.NextEventAsync()).Event);
        }
        finally
        {
            TestFunctions.Gates.Release(holdGate);
            TestFunctions.Gates.Release(gate);
        }
    }

    [Fact]
    public async Task Several_ids_stream_each_change_and_close_when_all_are_terminal()
    {
        var gateA = Guid.NewGuid().ToString("N");
        var gateB = Guid.NewGuid().ToString("N");
        var a = await _app.StartAsync("tests.gated", new { gate = gateA, value = "a" });
        var b = await _app.StartAsync("tests.gated", new { gate = gateB, value = "b" });
        var done = await _app.StartAsync("examples.echo", new { value = "c" });
        await _app.AwaitAsync([done]);
        await _app.WaitForAsync(a, r => r["status"]!.GetValue<string>() == "Processing");
        await _app.WaitForAsync(b, r => r["status"]!.GetValue<string>() == "Processing");

        using var stream = await SseStream.OpenAsync(_app.CreateClient(), $"/api/executions/events?ids={a},{b}&ids={done}");
        var first = new[] { await stream.NextEventAsync(), await stream.NextEventAsync(), await stream.NextEventAsync() };
        Assert.Equal([a, b, done], first.Select(e => e.Json["id"]!.GetValue<string>()));
        Assert.Equal(["Processing", "Processing", "Succeeded"], first.Select(e => e.Status));

        TestFunctions.Gates.Release(gateB);
        var next = await stream.NextEventAsync();
        Assert.Equal((b, "Succeeded"), (next.Json["id"]!.GetValue<string>(), next.Status));
        TestFunctions.Gates.Release(gateA);
        var last = await stream.NextEventAsync();
        Assert.Equal((a, "Succeeded"), (last.Json["id"]!.GetValue<string>(), last.Status));

        Assert.Equal(["1", "2", "3", "4", "5"], first.Append(next).Append(last).Select(e => e.Id));
        Assert.Equal("finished", (await stream.NextEventAsync()).Json["reason"]!.GetValue<string>());
        Assert.Null(await stream.NextAsync());
    }

    [Fact]
    public async Task An_execution_already_terminal_gives_one_event_then_the_end()
    {
        var id = await _app.StartAsync("examples.echo", new { value = 7 });
        await _app.AwaitAsync([id]);

        using var stream = await SseStream.OpenAsync(_app.CreateClient(), $"/api/executions/{id}/events", lastEventId: "41");
        var messages = await stream.ReadToEndAsync();

        Assert.Equal(2, messages.Count);
        Assert.Equal(("status", "42", "Succeeded"), (messages[0].Event, messages[0].Id, messages[0].Status));
        Assert.Equal(7, messages[0].Json["output"]!.GetValue<int>());
        Assert.Equal("end", messages[1].Event);
        Assert.Null(messages[1].Id);
    }

    [Fact]
    public async Task Unknown_ids_are_404_naming_them()
    {
        var known = await _app.StartAsync("examples.echo", new { value = 1 });

        var one = await _app.GetAsync("/api/executions/no-such-execution/events", HttpStatusCode.NotFound);
        Assert.Equal(["no-such-execution"], one["ids"]!.AsArray().Select(i => i!.GetValue<string>()));

        var many = await _app.GetAsync($"/api/executions/events?ids={known},missing-1,missing-2", HttpStatusCode.NotFound);
        Assert.Equal(404, many["status"]!.GetValue<int>());
        Assert.Equal(["missing-1", "missing-2"], many["ids"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    [Theory]
    [InlineData("", "ids")]
    [InlineData("?ids=", "ids")]
    [InlineData("?ids=a,,b", "ids[1]")]
    [InlineData("?ids=a,b&ids=a", "ids[2]")]
    [InlineData("?ids=a&limit=3", "limit")]
    public async Task Bad_ids_are_400_naming_the_parameter(string query, string field)
    {
        var problem = await _app.GetAsync("/api/executions/events" + query, HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task More_ids_than_the_limit_are_400()
    {
        var ids = string.Join(",", Enumerable.Range(0, 101).Select(i => $"x{i}"));

        var problem = await _app.GetAsync($"/api/executions/events?ids={ids}", HttpStatusCode.BadRequest);

        Assert.Contains("1 to 100", problem["errors"]!["ids"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoker_cannot_stream_another_key_s_execution()
    {
        using var one = _app.ClientAs(TestKeys.Invoker);
        using var two = _app.ClientAs(TestKeys.OtherInvoker);
        var mine = await StartAsync(one, "mine");
        var theirs = await StartAsync(two, "theirs");
        await _app.AwaitAsync([mine, theirs]);

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(one, $"/api/executions/{theirs}/events"));
        using var both = await one.GetAsync(new Uri($"/api/executions/events?ids={mine},{theirs}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, both.StatusCode);
        Assert.Equal([theirs], JsonNode.Parse(await both.Content.ReadAsStringAsync())!["ids"]!.AsArray().Select(i => i!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(one, $"/api/executions/{mine}/events"));
        using var viewer = _app.ClientAs(TestKeys.Viewer);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(viewer, $"/api/executions/events?ids={mine},{theirs}"));
        using var nobody = _app.ClientAs(null);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(nobody, $"/api/executions/{mine}/events"));
    }

    [Fact]
    public async Task A_client_that_disconnects_frees_its_watch()
    {
        var feed = _app.Services.GetRequiredService<ExecutionChangeFeed>();
        var gate = Guid.NewGuid().ToString("N");
        var id = await _app.StartAsync("tests.gated", new { gate });
        try
        {
            using (var stream = await SseStream.OpenAsync(_app.CreateClient(), $"/api/executions/{id}/events"))
            {
                await stream.NextEventAsync();
                Assert.Equal(1, feed.WatchCount);
            }

            await TestApp.WaitUntilAsync(() => Task.FromResult(feed.WatchCount == 0));
        }
        finally
        {
            TestFunctions.Gates.Release(gate);
        }
    }

    [Fact]
    public async Task A_change_written_by_another_node_is_found_by_the_poll()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?> { ["AsyncFunctions:Api:EventPollSeconds"] = "0.2" });
        var gate = Guid.NewGuid().ToString("N");
        var id = await app.StartAsync("tests.gated", new { gate });
        try
        {
            await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");
            using var stream = await SseStream.OpenAsync(app.CreateClient(), $"/api/executions/{id}/events");
            Assert.Equal("Processing", (await stream.NextEventAsync()).Status);

            // Written straight to the results table, as another node's worker would: no notification here.
            var store = app.Services.GetRequiredService<IExecutionStore>();
            Assert.True(await store.ApplyAsync(new StatusChange(id, "tests.gated", ExecutionStatus.Succeeded, DateTimeOffset.UtcNow) { Output = JsonValue.Create("elsewhere") }));

            var last = await stream.NextEventAsync();
            Assert.Equal("Succeeded", last.Status);
            Assert.Equal("elsewhere", last.Json["output"]!.GetValue<string>());
            Assert.Equal("end", (await stream.NextEventAsync()).Event);
        }
        finally
        {
            TestFunctions.Gates.Release(gate);
        }
    }

    [Fact]
    public async Task Another_node_s_signal_wakes_the_stream_at_once()
    {
        var gate = Guid.NewGuid().ToString("N");
        var id = await _app.StartAsync("tests.gated", new { gate });
        try
        {
            await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");
            using var stream = await SseStream.OpenAsync(_app.CreateClient(), $"/api/executions/{id}/events");
            Assert.Equal("Processing", (await stream.NextEventAsync()).Status);

            // Another node finished it and its NOTIFY arrived (PostgreSQL); this server polls only every ten minutes.
            var store = _app.Services.GetRequiredService<IExecutionStore>();
            Assert.True(await store.ApplyAsync(new StatusChange(id, "tests.gated", ExecutionStatus.Failed, DateTimeOffset.UtcNow)
            {
                Error = new ExecutionError("Elsewhere", "failed on another node", "tests.elsewhere"),
            }));
            _app.Services.GetRequiredService<ICompletionPublisher>().Signal([id]);

            var last = await stream.NextEventAsync();
            Assert.Equal("Failed", last.Status);
            Assert.Equal("end", (await stream.NextEventAsync()).Event);
        }
        finally
        {
            TestFunctions.Gates.Release(gate);
        }
    }

    [Fact]
    public async Task A_quiet_stream_sends_keep_alives_and_ends_at_its_lifetime()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Api:EventKeepAliveSeconds"] = "1",
            ["AsyncFunctions:Api:MaxEventStreamSeconds"] = "3",
        });
        var gate = Guid.NewGuid().ToString("N");
        var id = await app.StartAsync("tests.gated", new { gate });
        try
        {
            await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");
            List<SseMessage> messages;
            using (var stream = await SseStream.OpenAsync(app.CreateClient(), $"/api/executions/{id}/events"))
            {
                messages = await stream.ReadToEndAsync();
            }

            Assert.Equal(("status", "1", "Processing"), (messages[0].Event, messages[0].Id, messages[0].Status));
            Assert.Contains(messages, m => m.Comment == "keep-alive");
            Assert.Equal("end", messages[^1].Event);
            Assert.Equal("lifetime", messages[^1].Json["reason"]!.GetValue<string>());
            Assert.Single(messages, m => m.Event == "status");

            // The client reconnects with the last id it got; numbering goes on.
            using var again = await SseStream.OpenAsync(app.CreateClient(), $"/api/executions/{id}/events", lastEventId: messages[0].Id);
            Assert.Equal("2", (await again.NextEventAsync()).Id);
        }
        finally
        {
            TestFunctions.Gates.Release(gate);
        }
    }

    [Fact]
    public async Task A_server_that_stops_ends_its_streams_with_a_reason_to_reconnect()
    {
        var app = new TestApp();
        var gate = Guid.NewGuid().ToString("N");
        try
        {
            var id = await app.StartAsync("tests.gated", new { gate });
            using var stream = await SseStream.OpenAsync(app.CreateClient(), $"/api/executions/{id}/events");
            await stream.NextEventAsync();

            var stopping = Task.Run(app.Dispose);
            var end = await stream.NextEventAsync();
            Assert.Equal("end", end.Event);
            Assert.Equal("shutdown", end.Json["reason"]!.GetValue<string>());
            await stopping;
        }
        finally
        {
            TestFunctions.Gates.Release(gate);
            app.Dispose();
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_names_both_streams_and_their_answers()
    {
        var document = JsonNode.Parse(await _app.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;

        var one = document["paths"]!["/api/executions/{id}/events"]!["get"]!;
        var many = document["paths"]!["/api/executions/events"]!["get"]!;
        Assert.Equal("StreamExecutionEvents", one["operationId"]!.GetValue<string>());
        Assert.Equal("StreamExecutionsEvents", many["operationId"]!.GetValue<string>());
        foreach (var operation in new[] { one, many })
        {
            Assert.True(operation["responses"]?["200"]?["content"]?["text/event-stream"] is not null, operation.ToJsonString());
            Assert.NotNull(operation["responses"]!["404"]!["content"]!["application/problem+json"]);
            Assert.NotNull(operation["responses"]!["400"]);
        }

        Assert.Contains(many["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "ids");
    }

    private static async Task<string> StartAsync(HttpClient client, string value)
    {
        using var response = await client.PostAsJsonAsync("/api/functions/examples.echo/executions", new { input = new { value } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        await response.Content.ReadAsStringAsync();
        return response.StatusCode;
    }
}
