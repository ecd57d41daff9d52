namespace AsyncFunctions.Server.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task An_execution_running_when_the_server_stops_is_failed_with_a_reason_after_the_next_start()
    {
        string id;
        string database;
        using (var first = new TestApp(workers: 1))
        {
            database = first.DatabasePath;
            id = await first.StartAsync("examples.echo", new { value = 1, delayMs = 60_000 });
            await first.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");
        }

        using var second = new TestApp(workers: 1, databasePath: database);
        var record = await second.GetAsync($"/api/executions/{id}");

        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.Equal("execution.lost", record["error"]!["code"]!.GetValue<string>());
        Assert.Contains("does not survive a restart", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var awaited = await second.AwaitAsync([id]);
        Assert.True(awaited["completed"]!.GetValue<bool>());
    }
}
