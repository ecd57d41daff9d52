using System.Net;
using AsyncFunctions.AspNetCore.Maintenance;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The retention purge on the real server: finished executions older than
/// <c>AsyncFunctions:Retention:Executions</c> go with their logs; unfinished and recent ones stay.
/// </summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task The_purge_deletes_finished_executions_past_the_retention_with_their_logs_and_keeps_the_rest()
    {
        using var app = new TestApp(workers: 2, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Retention:Executions"] = "00:00:01",
            ["AsyncFunctions:Retention:PurgeInterval"] = "01:00:00",
            ["AsyncFunctions:Retention:BatchSize"] = "2",
        });
        await app.SaveStackAsync("""{ "name": "retention.logs", "stack": [ { "log": "kept until the purge" } ], "response": 1 }""");
        var finished = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            finished.Add(await app.StartAsync("examples.echo", new { value = i }));
        }

        finished.Add(await app.StartAsync("retention.logs", new { }));
        var running = await app.StartAsync("examples.echo", new { value = "long", delayMs = 600_000 });
        Assert.True((await app.AwaitAsync(finished, timeoutSeconds: 60))["completed"]!.GetValue<bool>());
        Assert.Equal(1, await LogCountAsync(app, finished[^1]));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var purged = await app.Services.GetRequiredService<RetentionPurger>().PurgeOnceAsync();

        Assert.Equal(finished.Count, purged);
        foreach (var id in finished)
        {
            await app.GetAsync($"/api/executions/{id}", HttpStatusCode.NotFound);
        }

        Assert.Equal(0, await LogCountAsync(app, finished[^1]));
        Assert.Contains((await app.GetAsync($"/api/executions/{running}"))["status"]!.GetValue<string>(), new[] { "Enqueued", "Processing" });
        await app.PostAsync($"/api/executions/{running}/cancel", new { }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_retention_of_zero_keeps_every_record()
    {
        using var app = new TestApp(workers: 1, settings: new Dictionary<string, string?> { ["AsyncFunctions:Retention:Executions"] = "00:00:00" });
        var id = await app.StartAsync("examples.echo", new { value = 1 });
        await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Succeeded");

        Assert.Equal(0, await app.Services.GetRequiredService<RetentionPurger>().PurgeOnceAsync());
        await app.GetAsync($"/api/executions/{id}");
    }

    private static async Task<long> LogCountAsync(TestApp app, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM af_execution_logs WHERE execution_id = $id";
        command.Parameters.AddWithValue("$id", id);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
