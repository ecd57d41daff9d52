using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>A worker node without a <c>Queues</c> setting takes up a queue that a function saved on another node names, without a restart.</summary>
public sealed class QueueClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_queue_named_by_a_function_saved_on_another_node_is_served_after_the_queue_check()
    {
        await using var worker = await cluster.StartNodeAsync("queues-a", workerCount: 2, ("AsyncFunctions__Server__QueueCheckInterval", "00:00:01"));
        var serverId = await cluster.ServerIdAsync(worker);
        var name = "queued_" + Guid.NewGuid().ToString("N")[..10];
        var queue = "q-" + Guid.NewGuid().ToString("N")[..10];

        // Saved on the API-only node: the worker hears nothing of it but its periodic check.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var saved = await cluster.Api.Http.PutAsJsonAsync($"/api/functions/{name}", JsonNode.Parse($$"""
            { "name": "{{name}}", "queue": "{{queue}}", "stack": [], "response": "=$input.n" }
            """)))
        {
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        using var started = await cluster.Api.Http.PostAsJsonAsync($"/api/functions/{name}/executions", new { input = new { n = 5 } });
        var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var outcome = await cluster.Api.AwaitAsync([id], TimeSpan.FromSeconds(60));
        var result = outcome["results"]![0]!;
        var ranIn = clock.Elapsed;

        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal(5, result["output"]!.GetValue<int>());
        Assert.Equal(queue, (await cluster.Api.GetJsonAsync($"/api/executions/{id}"))["queue"]!.GetValue<string>());
        // The server announced its longer queue list: the dashboard's Servers page reads it from here.
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT data FROM hangfire.server WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", serverId);
        var data = (string?)await command.ExecuteScalarAsync();
        Assert.Contains($"\"{queue}\"", data ?? "", StringComparison.Ordinal);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Saved on the API node, run on the worker {ranIn.TotalMilliseconds:F0} ms later (queue check every 1 s)."));
    }
}
