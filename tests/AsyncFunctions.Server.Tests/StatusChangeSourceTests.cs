using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Each source of a final status, wired end to end, against each side effect of it: a job's
/// state change, a sync run's end, and a sync run whose node stopped (its lease expired). For
/// each, a long poll and an event stream on the execution, a suspended parent awaiting it, and a
/// callback URL: all are told. The server's own polls are set to ten minutes (the awaiter's, the
/// event streams', the resume sweep's), so only the status change itself can tell them in time.
/// The metric of each source is checked in the core's table test (StatusChangeRecorderTests).
/// </summary>
public sealed class StatusChangeSourceTests : IAsyncLifetime
{
    private const string Function = "tests.gated_hooked";

    private WebhookReceiver _receiver = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        var hook = _receiver.Url("sources");
        _app = new TestApp(
            settings: new Dictionary<string, string?>
            {
                ["AsyncFunctions:Webhooks:Secret"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["AsyncFunctions:Stacks:AllowedHosts:0"] = $"127.0.0.1:{_receiver.Port}",
                ["AsyncFunctions:Api:EventPollSeconds"] = "600",
                ["AsyncFunctions:Await:PollMinInterval"] = "00:10:00",
                ["AsyncFunctions:Await:PollMaxInterval"] = "00:10:00",
                ["AsyncFunctions:Await:MaxTimeout"] = "00:10:00",
                ["AsyncFunctions:Execution:ResumeSweepInterval"] = "00:10:00",
                ["AsyncFunctions:Execution:SyncRunLease"] = "00:00:02",
            },
            services: s => s.Configure<FunctionRegistry>(r => r.AddFunction<TestFunctions.Gated>(Function)
                .Input(new Inputs.InputDeclaration { Name = "gate", Type = Inputs.InputType.Text, Required = true })
                .Input(new Inputs.InputDeclaration { Name = "value", Type = Inputs.InputType.Any, Nullable = true })
                .WithCallback(hook)));
        await _app.SaveStackAsync("""
            { "name": "sources.parent", "inputs": [ { "name": "id", "type": "text", "required": true } ],
              "stack": [ { "await": "=$input.id", "timeoutSeconds": 600, "as": "result" } ],
              "response": "awaited" }
            """);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _receiver.DisposeAsync();
    }

    [Theory]
    [InlineData("job", "Succeeded")]
    [InlineData("sync run", "Succeeded")]
    [InlineData("lease expiry", "Failed")]
    public async Task A_final_status_from_each_source_wakes_the_long_poll_the_event_stream_the_suspended_parent_and_the_webhook(string source, string outcome)
    {
        var gate = Guid.NewGuid().ToString("N");
        var (id, syncCall) = await RunningExecutionAsync(source, gate);
        var parent = await _app.StartAsync("sources.parent", new { id });
        await _app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting");
        using var stream = await SseStream.OpenAsync(_app.CreateClient(), $"/api/executions/{id}/events");
        Assert.Equal("Processing", (await stream.NextEventAsync()).Status);
        var longPoll = _app.GetAsync($"/api/executions/{id}?waitSeconds=60");

        await FinishAsync(source, id, gate);

        var streamed = await stream.NextEventAsync();
        Assert.Equal(outcome, streamed.Status);
        var polled = await longPoll.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(outcome, polled["status"]!.GetValue<string>());
        var resumedParent = await _app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed");
        Assert.Equal(1, resumedParent["resumes"]!.GetValue<int>());
        var delivered = await _app.WaitForAsync(id, r => r["callback"]?["state"]?.GetValue<string>() == "Delivered");
        var message = JsonNode.Parse(Assert.Single(_receiver.For("sources"), m => m.Body.Contains(id, StringComparison.Ordinal)).Body)!;
        Assert.Equal(outcome, message["data"]!["status"]!.GetValue<string>());
        Assert.Equal(outcome, delivered["status"]!.GetValue<string>());
        if (source == "lease expiry")
        {
            Assert.Equal("execution.lost", message["data"]!["error"]!["code"]!.GetValue<string>());
        }

        if (syncCall is not null)
        {
            Assert.Equal("done", (await syncCall.WaitAsync(TimeSpan.FromSeconds(60)))["output"]!.GetValue<string>());
        }
    }

    /// <summary>An execution of <see cref="Function"/> in Processing, made by <paramref name="source"/>; for a sync run, its pending answer.</summary>
    private async Task<(string Id, Task<JsonObject>? SyncCall)> RunningExecutionAsync(string source, string gate)
    {
        switch (source)
        {
            case "job":
                var job = await _app.StartAsync(Function, new { gate, value = "done" });
                await _app.WaitForAsync(job, r => r["status"]!.GetValue<string>() == "Processing");
                return (job, null);
            case "sync run":
                var call = _app.PostAsync($"/api/functions/{Function}/executions", new { input = new { gate, value = "done" }, mode = "sync" }, HttpStatusCode.OK);
                string? id = null;
                var store = _app.Services.GetRequiredService<IExecutionStore>();
                await TestApp.WaitUntilAsync(async () =>
                {
                    var page = await store.ListAsync(new ExecutionQuery(Function, ExecutionStatus.Processing, Limit: ExecutionQuery.MaxLimit));
                    id = page.Items.FirstOrDefault(r => r.Input?["gate"]?.GetValue<string>() == gate)?.Id;
                    return id is not null;
                });
                return (id!, call);
            default:
                // A sync run of a node that stopped: its lease, still valid, ends when the test lets it expire.
                var results = _app.Services.GetRequiredService<IExecutionStore>();
                var lost = Guid.NewGuid().ToString();
                var now = DateTimeOffset.UtcNow;
                await results.CreateAsync(new NewExecution(lost, Function, null, ExecutionStatus.Enqueued, new JsonObject { ["gate"] = gate }, null, now, LeaseExpiresAt: now.AddHours(1)));
                await _app.Services.GetRequiredService<ICallbackStore>().SaveAsync(lost, _receiver.Url("sources"));
                await results.ApplyAsync(new StatusChange(lost, Function, ExecutionStatus.Processing, now));
                return (lost, null);
        }
    }

    private Task FinishAsync(string source, string id, string gate)
    {
        if (source != "lease expiry")
        {
            TestFunctions.Gates.Release(gate);
            return Task.CompletedTask;
        }

        // The lease keeper of this node ends it at its next round.
        return _app.Services.GetRequiredService<IExecutionStore>().RenewLeasesAsync([id], DateTimeOffset.UtcNow.AddMinutes(-1));
    }
}
