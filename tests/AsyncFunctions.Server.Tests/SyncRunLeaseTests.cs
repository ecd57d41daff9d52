using System.Net;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>Sync runs hold a lease while they run; a run its node left behind ends as execution.lost.</summary>
public sealed class SyncRunLeaseTests : IDisposable
{
    private readonly TestApp _app = new(settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:SyncRunLease"] = "00:00:01" });

    [Fact]
    public async Task A_sync_run_longer_than_its_lease_keeps_it_by_renewal()
    {
        var run = await _app.PostAsync(
            "/api/functions/examples.echo/executions",
            new { input = new { value = "done", delayMs = 3000 }, mode = "sync" },
            HttpStatusCode.OK);

        Assert.Equal("done", run["output"]!.GetValue<string>());
        var record = await _app.GetAsync($"/api/executions/{run["id"]!.GetValue<string>()}");
        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sync_run_whose_node_stopped_ends_as_lost()
    {
        _ = _app.CreateClient();
        var store = _app.Services.GetRequiredService<IExecutionStore>();
        var id = Guid.NewGuid().ToString();
        var startedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        await store.CreateAsync(new NewExecution(id, "examples.echo", null, ExecutionStatus.Enqueued, new JsonObject { ["value"] = 1 }, null, startedAt, LeaseExpiresAt: startedAt.AddMinutes(2)));
        await store.ApplyAsync(new StatusChange(id, "examples.echo", ExecutionStatus.Processing, startedAt));

        var record = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() != "Processing");

        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.Equal("execution.lost", record["error"]!["code"]!.GetValue<string>());
    }

    public void Dispose() => _app.Dispose();
}
