using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>What bounds every execution whatever its function says: the size of its tree of async calls and a default timeout.</summary>
public sealed class ExecutionBoundsTests : IDisposable
{
    private const int MaxTree = 30;

    // The tree's stacks run under the usual default timeout: a short one would fail them on a loaded machine.
    private readonly TestApp _app = new(settings: new Dictionary<string, string?>
    {
        ["AsyncFunctions:Execution:MaxTreeExecutions"] = MaxTree.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task A_stack_that_starts_itself_three_times_stops_at_the_tree_limit()
    {
        var bomb = JsonNode.Parse("""
            {
              "stack": [
                { "call": "tests.bomb", "async": true, "input": {}, "as": "a" },
                { "call": "tests.bomb", "async": true, "input": {}, "as": "b" },
                { "call": "tests.bomb", "async": true, "input": {}, "as": "c" }
              ],
              "response": { "started": true }
            }
            """)!;
        using (var put = await _app.CreateClient().PutAsJsonAsync("/api/functions/tests.bomb", bomb))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var root = await _app.StartAsync("tests.bomb", new { });

        // The tree ends once every execution in it is finished; beyond the limit, starts fail the caller.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonArray items;
        while (true)
        {
            items = (await _app.GetAsync("/api/executions?function=tests.bomb&limit=200"))["items"]!.AsArray();
            var finished = items.All(i => i!["status"]!.GetValue<string>() is "Succeeded" or "Failed" or "Cancelled");
            if (finished && items.Any(i => i!["error"]?["code"]?.GetValue<string>() == "limit.tree_executions"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The tree never stopped at its limit: {items.Count} executions so far.");
            await Task.Delay(100);
        }

        Assert.Equal(MaxTree + 1, items.Count);
        Assert.All(items.Where(i => i!["id"]!.GetValue<string>() != root), i => Assert.Equal(root, i!["rootId"]!.GetValue<string>()));
        var refused = items.First(i => i!["error"]?["code"]?.GetValue<string>() == "limit.tree_executions")!;
        Assert.Contains("AsyncFunctions:Execution:MaxTreeExecutions", refused["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_without_a_timeout_of_its_own_stops_at_the_default_timeout()
    {
        // A server of its own: only this echo, which would wait a minute, runs under the short default.
        using var app = new TestApp(settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:DefaultTimeout"] = "00:00:02" });
        var id = await app.StartAsync("examples.echo", new { value = 1, delayMs = 60_000 });

        var record = await app.WaitForAsync(id, r => r["status"]!.GetValue<string>() != "Enqueued" && r["status"]!.GetValue<string>() != "Processing");

        Assert.Equal("Failed", record["status"]!.GetValue<string>());
        Assert.Equal("execution.timeout", record["error"]!["code"]!.GetValue<string>());
    }

    public void Dispose() => _app.Dispose();
}
