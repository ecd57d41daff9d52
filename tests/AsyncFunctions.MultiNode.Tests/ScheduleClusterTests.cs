using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// A schedule on two worker nodes sharing PostgreSQL: both run Hangfire's recurring job scheduler,
/// which takes its lock per schedule, so each occurrence becomes exactly one execution.
/// </summary>
public sealed class ScheduleClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Two_nodes_give_one_execution_per_tick_over_twenty_ticks()
    {
        await using var first = await cluster.StartWorkerAsync("worker-a");
        await using var second = await cluster.StartWorkerAsync("worker-b");
        var name = "cluster_" + Guid.NewGuid().ToString("N")[..10];

        using (var created = await cluster.Api.Http.PutAsJsonAsync($"/api/schedules/{name}", new { function = "examples.echo", input = new { value = "tick" }, cron = "* * * * * *", overlap = "allow" }))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        List<JsonNode> occurrences;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            occurrences = await OccurrencesAsync(name);
            if (occurrences.Count(o => o["status"]!.GetValue<string>() == "Succeeded") >= 20)
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"Only {occurrences.Count} occurrences after two minutes.\n{first.Output}\n{second.Output}");
            await Task.Delay(250);
        }

        using (var paused = await cluster.Api.Http.PostAsync($"/api/schedules/{name}/pause", null))
        {
            Assert.True(paused.IsSuccessStatusCode);
        }

        // Settle: an occurrence created just before the pause is counted too.
        await Task.Delay(2000);
        occurrences = await OccurrencesAsync(name);
        var ticks = occurrences.Select(o => o["scheduledFor"]!.GetValue<DateTimeOffset>()).ToList();
        var duplicated = ticks.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key.ToString("O")).ToList();
        Assert.True(duplicated.Count == 0, "Ticks with more than one execution: " + string.Join(", ", duplicated));
        Assert.All(ticks, t => Assert.Equal(0, t.Millisecond));
        var span = (ticks.Max() - ticks.Min()).TotalSeconds + 1;
        output.WriteLine($"{ticks.Count} executions for {span:F0} ticks of one second, none twice.");
    }

    private async Task<List<JsonNode>> OccurrencesAsync(string name) =>
        (await cluster.Api.GetJsonAsync($"/api/executions?schedule={name}&limit=500"))["items"]!.AsArray().Select(i => i!).ToList();
}
