using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// Durable await across real server processes on one PostgreSQL database: suspended parents are
/// resumed once when their children finish together on two nodes, and survive a kill -9 of the
/// node they suspended on.
/// </summary>
public sealed class DurableAwaitClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int ChildSleepMs = 3000;

    // Children sleep until one moment shared by all of them; sleeping longer than a second, they
    // suspend too, and the scheduler queues them in the same round, so they finish together.
    private const string Child = """
        { "name": "cluster.child", "inputs": [ { "name": "at", "type": "int", "required": true }, { "name": "value", "type": "int", "required": true } ],
          "stack": [ { "sleep": "=Math.max(0, $input.at - Date.now())" } ],
          "response": "=$input.value" }
        """;

    private const string Parent = """
        { "name": "cluster.parent", "inputs": [ { "name": "count", "type": "int", "required": true }, { "name": "sleepMs", "type": "int", "required": true } ],
          "stack": [
            { "lambda": "return Date.now() + $input.sleepMs;", "as": "at" },
            { "var": "ids", "value": [] },
            { "for": "=$input.count", "index": "i", "do": [
                { "call": "cluster.child", "async": true, "input": { "at": "=$var.at", "value": "=$var.i" }, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" } ] },
            { "await": "=$var.ids", "timeoutSeconds": 600, "as": "outputs" },
            { "lambda": "return $var.outputs.reduce((a, b) => a + b, 0);", "as": "sum" } ],
          "response": "=$var.sum" }
        """;

    [Fact]
    public async Task Children_woken_at_one_moment_on_two_nodes_resume_each_parent_exactly_once()
    {
        await SaveStacksAsync();
        await using var first = await cluster.StartNodeAsync("worker-a", workerCount: 10);
        await using var second = await cluster.StartNodeAsync("worker-b", workerCount: 10);

        var parents = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => StartAsync(count: 12, ChildSleepMs)));
        var outcome = await AwaitAsync(parents, TimeSpan.FromSeconds(100));

        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{await DescribeAsync(parents)}");
        foreach (var parent in parents)
        {
            var record = await GetAsync(parent);
            Assert.True(record["status"]!.GetValue<string>() == "Succeeded", record.ToJsonString());
            Assert.Equal(Enumerable.Range(0, 12).Sum(), record["output"]!.GetValue<int>());
            Assert.Equal(1, record["resumes"]!.GetValue<int>());
            Assert.Equal(1, record["attempts"]!.GetValue<int>());
        }

        // Both nodes ran children: the dashboard names the server (host:pid:guid) of each state a worker made.
        var ranOn = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parent in parents)
        {
            foreach (var child in (await GetJsonAsync($"/api/executions?parentId={parent}&limit=100"))["items"]!.AsArray())
            {
                var page = await cluster.Api.Http.GetStringAsync($"/hangfire/jobs/details/{child!["id"]!.GetValue<string>()}");
                foreach (var node in new[] { first, second })
                {
                    if (page.Contains($":{node.ProcessId}:", StringComparison.Ordinal))
                    {
                        ranOn.Add(node.Name);
                    }
                }
            }
        }

        Assert.Equal(["worker-a", "worker-b"], ranOn.Order(StringComparer.Ordinal));

        // How tightly the children finished (reported, not asserted: it depends on the machine's load).
        var spreads = new List<double>();
        foreach (var parent in parents)
        {
            var children = (await GetJsonAsync($"/api/executions?parentId={parent}&limit=100"))["items"]!.AsArray();
            var done = children.Select(c => DateTimeOffset.Parse(c!["completedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            spreads.Add((done.Max() - done.Min()).TotalMilliseconds);
        }

        output.WriteLine($"Children of one parent finished within {spreads.Min():F0} to {spreads.Max():F0} ms of each other.");
    }

    private const string Chain = """
        { "name": "cluster.chain", "inputs": [ { "name": "n", "type": "int", "required": true } ],
          "stack": [
            { "if": "=$input.n > 0", "then": [
                { "call": "cluster.chain", "async": true, "input": { "n": "=$input.n - 1" }, "as": "below" },
                { "await": "=$var.below", "timeoutSeconds": 600, "as": "depth" },
                { "return": "=$var.depth + 1" } ] } ],
          "response": 0 }
        """;

    [Fact]
    public async Task On_a_node_with_two_workers_fifty_fan_outs_and_a_chain_of_thirty_all_succeed()
    {
        await SaveStacksAsync(Chain);
        await using var node = await cluster.StartNodeAsync("worker-two", workerCount: 2);

        var clock = Stopwatch.StartNew();
        var parents = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => StartAsync(count: 5, sleepMs: 0)));
        var chain = await StartAsync("cluster.chain", new JsonObject { ["n"] = 30 });
        // One await at a time stays within the client's timeout; a generous deadline for a busy machine.
        JsonNode outcome;
        do
        {
            outcome = await AwaitAsync([.. parents, chain], TimeSpan.FromSeconds(100));
        }
        while (!outcome["completed"]!.GetValue<bool>() && clock.Elapsed < TimeSpan.FromMinutes(5));

        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{node.Output}");
        var results = outcome["results"]!.AsArray();
        Assert.All(results.Take(50), r => Assert.Equal(0 + 1 + 2 + 3 + 4, r!["output"]!.GetValue<int>()));
        Assert.Equal(30, results[50]!["output"]!.GetValue<int>());
        output.WriteLine($"50 fan-outs of 5 and a chain of 30 on 2 workers finished in {clock.Elapsed.TotalSeconds:F1} s.");
    }

    [Fact]
    public async Task A_suspended_parent_survives_kill_9_of_its_node_and_resumes_on_another_once()
    {
        await SaveStacksAsync();
        string[] parents;
        var doomed = await cluster.StartNodeAsync("worker-doomed", workerCount: 4);
        try
        {
            parents = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => StartAsync(count: 3, sleepMs: 15000)));
            foreach (var parent in parents)
            {
                // Awaiting is recorded just before Hangfire commits the Suspended state; a kill in
                // between would leave the job Processing, to run again as a new attempt instead of a
                // resume. The job's page shows the state once Hangfire committed it.
                await cluster.Api.WaitForStatusAsync(parent, "Awaiting", TimeSpan.FromSeconds(60));
                await WaitUntilSuspendedAsync(parent, TimeSpan.FromSeconds(60));
            }

            doomed.Kill();
        }
        finally
        {
            await doomed.DisposeAsync();
        }

        // No node with workers is left: what the records show now is how the kill found them.
        // Every parent was suspended, never resumed, and none of its children had finished.
        foreach (var parent in parents)
        {
            var record = await GetAsync(parent);
            Assert.True(record["status"]!.GetValue<string>() == "Awaiting" && record["resumes"]!.GetValue<int>() == 0, $"Not suspended at the kill: {record.ToJsonString()}");
            var children = (await GetJsonAsync($"/api/executions?parentId={parent}&limit=100"))["items"]!.AsArray();
            Assert.Equal(3, children.Count);
            Assert.All(children, c => Assert.NotEqual("Succeeded", c!["status"]!.GetValue<string>()));
        }

        var clock = Stopwatch.StartNew();
        await using var replacement = await cluster.StartNodeAsync("worker-replacement", workerCount: 4);
        var outcome = await AwaitAsync(parents, TimeSpan.FromSeconds(100));

        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{await DescribeAsync(parents)}\n{replacement.Output}");
        foreach (var parent in parents)
        {
            var record = await GetAsync(parent);
            Assert.True(record["status"]!.GetValue<string>() == "Succeeded", record.ToJsonString());
            Assert.Equal(0 + 1 + 2, record["output"]!.GetValue<int>());
            Assert.Equal(1, record["resumes"]!.GetValue<int>());
            var children = (await GetJsonAsync($"/api/executions?parentId={parent}&limit=100"))["items"]!.AsArray();
            Assert.Equal(3, children.Count);
            Assert.All(children, c => Assert.Equal("Succeeded", c!["status"]!.GetValue<string>()));
        }

        output.WriteLine($"The suspended parents finished {clock.Elapsed.TotalSeconds:F1} s after the replacement node was started.");
    }

    /// <summary>The parents and their children as the records show them, for a failure message.</summary>
    private async Task<string> DescribeAsync(string[] parents)
    {
        var lines = new List<string>();
        foreach (var parent in parents)
        {
            lines.Add((await GetAsync(parent)).ToJsonString());
            lines.AddRange((await GetJsonAsync($"/api/executions?parentId={parent}&limit=100"))["items"]!.AsArray().Select(c => "  " + c!.ToJsonString()));
        }

        return string.Join("\n", lines);
    }

    private async Task SaveStacksAsync(params string[] more)
    {
        foreach (var document in new[] { Child, Parent }.Concat(more))
        {
            var json = JsonNode.Parse(document)!;
            using var response = await cluster.Api.Http.PutAsJsonAsync($"/api/functions/{json["name"]!.GetValue<string>()}", json);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private Task<string> StartAsync(int count, int sleepMs) =>
        StartAsync("cluster.parent", new JsonObject { ["count"] = count, ["sleepMs"] = sleepMs });

    private async Task<string> StartAsync(string function, JsonObject input)
    {
        using var response = await cluster.Api.Http.PostAsJsonAsync($"/api/functions/{function}/executions", new JsonObject { ["input"] = input });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private Task<JsonNode> AwaitAsync(string[] ids, TimeSpan timeout) => cluster.Api.AwaitAsync(ids, timeout);

    private async Task WaitUntilSuspendedAsync(string id, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!(await cluster.Api.Http.GetStringAsync($"/hangfire/jobs/details/{id}")).Contains("Waiting for:", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < timeout, $"The job of {id} never showed its Suspended state.");
            await Task.Delay(50);
        }
    }

    private Task<JsonNode> GetAsync(string id) => GetJsonAsync($"/api/executions/{id}");

    private Task<JsonNode> GetJsonAsync(string path) => cluster.Api.GetJsonAsync(path);

}
