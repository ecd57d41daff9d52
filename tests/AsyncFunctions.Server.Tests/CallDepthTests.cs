using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>Runaway recursion of stacks stops at AsyncFunctions:Execution:MaxCallDepth, sync and async alike.</summary>
public sealed class CallDepthTests : IDisposable
{
    private readonly TestApp _app = new(settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:MaxCallDepth"] = "3" });

    private async Task DefineAsync(string name, bool async)
    {
        var document = JsonNode.Parse($$"""
            {
              "inputs": [ { "name": "level", "type": "int", "default": 0 } ],
              "stack": [
                { "call": "{{name}}", "async": {{(async ? "true" : "false")}}, "input": { "level": "=$input.level + 1" }, "as": "child" },
                { "if": {{(async ? "true" : "false")}}, "then": [ { "await": "=$var.child", "timeoutSeconds": 30, "as": "child" } ] }
              ],
              "response": "=$var.child"
            }
            """)!;
        using var response = await _app.CreateClient().PutAsJsonAsync($"/api/functions/{name}", document);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_sync_recursion_fails_with_call_depth_exceeded()
    {
        await DefineAsync("tests.recurse_sync", async: false);

        var problem = await _app.PostAsync("/api/functions/tests.recurse_sync/executions", new { mode = "sync" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("call.depth_exceeded", problem["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_async_recursion_stops_at_the_limit_and_every_level_reports_it()
    {
        await DefineAsync("tests.recurse_async", async: true);

        var id = await _app.StartAsync("tests.recurse_async", new { });
        var result = (await _app.AwaitAsync([id], timeoutSeconds: 60))["results"]![0]!;

        Assert.Equal("Failed", result["status"]!.GetValue<string>());
        Assert.Equal("await.failed", result["error"]!["code"]!.GetValue<string>());
        var deepest = await _app.GetAsync("/api/executions?function=tests.recurse_async&limit=10");
        var depths = deepest["items"]!.AsArray().Select(e => e!["callDepth"]!.GetValue<int>()).Order().ToList();
        Assert.Equal([0, 1, 2, 3], depths);
        var last = deepest["items"]!.AsArray().Single(e => e!["callDepth"]!.GetValue<int>() == 3)!;
        Assert.Equal("call.depth_exceeded", last["error"]!["code"]!.GetValue<string>());
    }

    public void Dispose() => _app.Dispose();
}
