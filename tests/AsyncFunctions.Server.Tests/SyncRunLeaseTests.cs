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
        // This node's keeper never ends its own runs; another node's would end any run whose lease
        // expired. So the test looks as another node does, for as long as three leases, while
        // the run is held open by its gate.
        var gate = Guid.NewGuid().ToString("N");
        var call = _app.PostAsync("/api/functions/tests.gated/executions", new { input = new { gate, value = "done" }, mode = "sync" }, HttpStatusCode.OK);
        var store = _app.Services.GetRequiredService<IExecutionStore>();
        string? id = null;
        await TestApp.WaitUntilAsync(async () =>
        {
            var page = await store.ListAsync(new ExecutionQuery("tests.gated", ExecutionStatus.Processing, Limit: ExecutionQuery.MaxLimit));
            id = page.Items.FirstOrDefault(r => r.Input?["gate"]?.GetValue<string>() == gate)?.Id;
            return id is not null;
        });
        var startedAt = (await store.GetAsync(id!))!.CreatedAt;

        var looks = 0;
        while (DateTimeOffset.UtcNow < startedAt.AddSeconds(3))
        {
            var expired = await store.ListExpiredLeasesAsync(DateTimeOffset.UtcNow);
            Assert.DoesNotContain(expired, e => e.Id == id);
            looks++;
            await Task.Delay(100);
        }

        TestFunctions.Gates.Release(gate);
        var run = await call;
        Assert.Equal("done", run["output"]!.GetValue<string>());
        Assert.True(looks > 0);
        var record = await _app.GetAsync($"/api/executions/{id}");
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
