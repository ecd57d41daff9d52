namespace AsyncFunctions.Server.Tests;

public sealed class RestartTests
{
    [Theory]
    [InlineData("examples.echo")]
    [InlineData("tests.interrupted_driver")]
    public async Task An_execution_running_when_the_server_stops_is_failed_with_a_reason_after_the_next_start(string function)
    {
        string id;
        string database;
        using (var first = new TestApp(workers: 1))
        {
            database = first.DatabasePath;
            id = await first.StartAsync(function, function == "examples.echo" ? new { value = 1, delayMs = 60_000 } : new { value = 1, delayMs = 0 });
            await first.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");
        }

        using var second = new TestApp(workers: 1, databasePath: database);
        var record = await second.GetAsync($"/api/executions/{id}");

        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.True(record["error"]!["code"]!.GetValue<string>() == "execution.lost", "The record after the restart: " + record.ToJsonString());
        Assert.Contains("does not survive a restart", record["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var awaited = await second.AwaitAsync([id]);
        Assert.True(awaited["completed"]!.GetValue<bool>());
    }
}
