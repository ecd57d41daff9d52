using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// Real server processes with their jobs in Redis and their results in PostgreSQL: a kill -9 of
/// a worker node mid-run loses no execution, and durable awaits resume each parent once when
/// its children run on other nodes.
/// </summary>
public sealed class RedisClusterTests(RedisClusterFixture cluster, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private const string Child = """
        { "name": "redis.child", "inputs": [ { "name": "at", "type": "int", "required": true }, { "name": "value", "type": "int", "required": true } ],
          "stack": [ { "sleep": "=Math.max(0, $input.at - Date.now())" } ],
          "response": "=$input.value" }
        """;

    private const string Parent = """
        { "name": "redis.parent", "inputs": [ { "name": "count", "type": "int", "required": true }, { "name": "sleepMs", "type": "int", "required": true } ],
          "stack": [
            { "lambda": "return Date.now() + $input.sleepMs;", "as": "at" },
            { "var": "ids", "value": [] },
            { "for": "=$input.count", "index": "i", "do": [
                { "call": "redis.child", "async": true, "input": { "at": "=$var.at", "value": "=$var.i" }, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" } ] },
            { "await": "=$var.ids", "timeoutSeconds": 600, "as": "outputs" },
            { "lambda": "return $var.outputs.reduce((a, b) => a + b, 0);", "as": "sum" } ],
          "response": "=$var.sum" }
        """;

    [Fact]
    public async Task Three_nodes_finish_200_executions_when_one_is_killed_mid_run()
    {
        await using var first = await cluster.StartNodeAsync("redis-worker-a", workerCount: 4);
        await using var second = await cluster.StartNodeAsync("redis-worker-b", workerCount: 4);
        var doomed = await cluster.StartNodeAsync("redis-worker-doomed", workerCount: 4);
        string[] ids;
        int succeededBeforeKill;
        int processingAtKill;
        try
        {
            ids = await Task.WhenAll(Enumerable.Range(0, 200).Select(StartEchoAsync));
            succeededBeforeKill = await WaitForSucceededAsync(ids, atLeast: 40);
            doomed.Kill();
            processingAtKill = (await cluster.Api.GetJsonAsync("/api/executions?status=Processing&limit=200"))["items"]!.AsArray().Count;
        }
        finally
        {
            await doomed.DisposeAsync();
        }

        var clock = Stopwatch.StartNew();
        var outcome = await cluster.Api.AwaitAsync(ids, TimeSpan.FromSeconds(300));

        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{first.Output}\n{second.Output}");
        var results = outcome["results"]!.AsArray();
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True(results[i]!["status"]!.GetValue<string>() == "Succeeded", results[i]!.ToJsonString());
            Assert.Equal(i, results[i]!["output"]!.GetValue<int>());
        }

        Assert.True(await cluster.JobInRedisAsync(ids[0]), "The executions' jobs were expected in Redis.");
        var again = 0;
        foreach (var id in ids)
        {
            again += (await GetAsync(id))["attempts"]!.GetValue<int>() > 1 ? 1 : 0;
        }

        output.WriteLine($"{succeededBeforeKill} of 200 had succeeded and {processingAtKill} were Processing at the kill; all 200 succeeded {clock.Elapsed.TotalSeconds:F1} s after it; {again} ran a second attempt.");
    }

    [Fact]
    public async Task Children_on_other_nodes_resume_each_suspended_parent_exactly_once()
    {
        foreach (var document in new[] { Child, Parent })
        {
            var json = JsonNode.Parse(document)!;
            using var response = await cluster.Api.Http.PutAsJsonAsync($"/api/functions/{json["name"]!.GetValue<string>()}", json);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await using var first = await cluster.StartNodeAsync("redis-worker-c", workerCount: 6);
        await using var second = await cluster.StartNodeAsync("redis-worker-d", workerCount: 6);
        await using var third = await cluster.StartNodeAsync("redis-worker-e", workerCount: 6);

        var parents = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => StartParentAsync(count: 8, sleepMs: 2500)));
        var outcome = await cluster.Api.AwaitAsync(parents, TimeSpan.FromSeconds(120));

        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        foreach (var parent in parents)
        {
            var record = await GetAsync(parent);
            Assert.True(record["status"]!.GetValue<string>() == "Succeeded", $"{record.ToJsonString()}\n{first.Output}\n{second.Output}\n{third.Output}\n{cluster.Api.Output}");
            Assert.Equal(Enumerable.Range(0, 8).Sum(), record["output"]!.GetValue<int>());
            Assert.Equal(1, record["resumes"]!.GetValue<int>());
            Assert.Equal(1, record["attempts"]!.GetValue<int>());
        }
    }

    private async Task<int> WaitForSucceededAsync(string[] ids, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var page = await cluster.Api.GetJsonAsync("/api/executions?status=Succeeded&limit=200");
            var count = page["items"]!.AsArray().Count(item => ids.Contains(item!["id"]!.GetValue<string>()));
            if (count >= atLeast)
            {
                return count;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Only {count} executions succeeded within 120 s.");
            await Task.Delay(100);
        }
    }

    private async Task<string> StartEchoAsync(int value)
    {
        using var response = await cluster.Api.Http.PostAsJsonAsync(
            "/api/functions/examples.echo/executions",
            new JsonObject { ["input"] = new JsonObject { ["value"] = value, ["delayMs"] = 300 } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}\n{cluster.Api.Output}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private async Task<string> StartParentAsync(int count, int sleepMs)
    {
        using var response = await cluster.Api.Http.PostAsJsonAsync(
            "/api/functions/redis.parent/executions",
            new JsonObject { ["input"] = new JsonObject { ["count"] = count, ["sleepMs"] = sleepMs } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private Task<JsonNode> GetAsync(string id) => cluster.Api.GetJsonAsync($"/api/executions/{id}");
}
