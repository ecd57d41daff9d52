using System.Net;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Waiting executions hold no worker: with 4 workers and dozens of executions waiting for a
/// limit of 1, another function still runs at once. Its own server, so the waiters hold up no
/// other test.
/// </summary>
public sealed class FlowAdmissionWorkerTests : IDisposable
{
    private readonly TestApp _app = new(workers: 4);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Waiting_executions_hold_no_worker()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.one_at_a_time", "concurrency": { "limit": 1 }, "holdWhileAwaiting": true, "stack": [ { "sleep": 30000 } ], "response": 1 }
            """);
        var limited = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            limited.Add(await _app.StartAsync("flow.one_at_a_time", new { i }));
        }

        // Without admission they would all start (a long sleep suspends); with it, 29 wait and take no worker.
        var other = await _app.StartAsync("examples.echo", new { value = "through" });
        var record = await _app.WaitForAsync(other, r => r["status"]!.GetValue<string>() == "Succeeded");

        Assert.Equal("through", record["output"]!.GetValue<string>());
        var statuses = new List<string>();
        foreach (var id in limited)
        {
            statuses.Add((await _app.GetAsync($"/api/executions/{id}"))["status"]!.GetValue<string>());
        }

        Assert.Equal(29, statuses.Count(s => s == "Waiting"));
        Assert.Single(statuses, s => s is "Processing" or "Enqueued" or "Awaiting");
        foreach (var id in limited)
        {
            using (await _app.CreateClient().PostAsync(new Uri($"/api/executions/{id}/cancel", UriKind.Relative), null))
            {
            }
        }
    }
}
