using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>Debounce on two worker nodes sharing PostgreSQL: starts on either node fold into one pending execution.</summary>
public sealed class DebounceClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Starts_on_two_nodes_fold_into_one_execution_with_the_last_input()
    {
        await using var first = await cluster.StartWorkerAsync("debounce-a");
        await using var second = await cluster.StartWorkerAsync("debounce-b");
        var name = "debounce_" + Guid.NewGuid().ToString("N")[..10];
        using (var saved = await cluster.Api.Http.PutAsJsonAsync($"/api/functions/{name}", JsonNode.Parse($$"""
            { "name": "{{name}}", "inputs": [ { "name": "n", "type": "int", "required": true }, { "name": "key", "type": "text", "required": true } ],
              "debounce": { "periodSeconds": 3, "key": "=$input.key" }, "stack": [], "response": "=$input.n" }
            """)))
        {
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        // Each node's first start of this function compiles its start path (a second or more on a
        // busy machine): made with keys of their own, so no timed start below pays for it and
        // outlasts the period.
        foreach (var (node, key) in new[] { (first, "warm-a"), (second, "warm-b") })
        {
            using var warm = await node.Http.PostAsJsonAsync($"/api/functions/{name}/executions", new { input = new { n = -1, key } });
            Assert.Equal(HttpStatusCode.Accepted, warm.StatusCode);
        }

        // Ten rapid starts, one after another, alternating between the nodes.
        var answers = new List<(HttpStatusCode Status, string Id)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var latencies = new List<double>();
        for (var n = 0; n < 10; n++)
        {
            var node = n % 2 == 0 ? first : second;
            using var response = await node.Http.PostAsJsonAsync($"/api/functions/{name}/executions", new { input = new { n, key = "sequential" } });
            answers.Add((response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>()));
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
        }

        // Twenty concurrent starts of another key, ten on each node.
        clock.Restart();
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(async n =>
        {
            var node = n % 2 == 0 ? first : second;
            using var response = await node.Http.PostAsJsonAsync($"/api/functions/{name}/executions", new { input = new { n, key = "burst" } });
            return (response.StatusCode, Id: JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        }));
        var burstMs = clock.Elapsed.TotalMilliseconds;

        Assert.Equal(HttpStatusCode.Accepted, answers[0].Status);
        Assert.All(answers.Skip(1), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Single(burst, b => b.StatusCode == HttpStatusCode.Accepted);
        Assert.Single(burst.Select(b => b.Id).Distinct());

        var outcome = await cluster.Api.AwaitAsync([answers[0].Id, burst[0].Id], TimeSpan.FromSeconds(60));
        Assert.Equal(9, outcome["results"]![0]!["output"]!.GetValue<int>());
        Assert.Equal("Succeeded", outcome["results"]![1]!["status"]!.GetValue<string>());
        var list = await cluster.Api.GetJsonAsync($"/api/executions?function={name}&limit=100");
        Assert.Equal(4, list["items"]!.AsArray().Count);
        output.WriteLine(System.FormattableString.Invariant(
            $"10 sequential starts on two nodes and 20 concurrent ones gave {list["items"]!.AsArray().Count - 2} executions; first start {latencies[0]:F1} ms, folded starts median {latencies.Skip(1).Order().ElementAt(4):F1} ms, max {latencies.Skip(1).Max():F1} ms; the burst of 20 took {burstMs:F0} ms."));
    }
}
