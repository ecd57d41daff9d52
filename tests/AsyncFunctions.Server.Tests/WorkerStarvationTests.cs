namespace AsyncFunctions.Server.Tests;

public sealed class WorkerStarvationTests
{
    /// <summary>A C# function's await holds its worker, so a node whose every worker awaits still ends it with await.workers_exhausted.</summary>
    [Fact]
    public async Task Await_inside_a_job_ends_with_a_clear_error_when_every_worker_is_awaiting()
    {
        using var app = new TestApp(workers: 1);
        var parent = await app.StartAsync("tests.await_child", new { timeoutMs = 500 });

        var result = (await app.AwaitAsync([parent]))["results"]![0]!;

        Assert.Equal("Failed", result["status"]!.GetValue<string>());
        Assert.Equal("await.workers_exhausted", result["error"]!["code"]!.GetValue<string>());
        Assert.Contains("all 1 workers of this node are busy awaiting", result["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_stack_awaiting_on_a_node_with_one_worker_suspends_instead_of_exhausting_it()
    {
        using var app = new TestApp(workers: 1);
        await app.SaveStackAsync("""
            { "name": "tests.stack_await_child",
              "stack": [
                { "call": "examples.echo", "async": true, "input": { "value": "child" }, "as": "id" },
                { "await": "=$var.id", "timeoutSeconds": 60, "as": "output" } ],
              "response": "=$var.output" }
            """);

        var parent = await app.StartAsync("tests.stack_await_child", new { });
        var result = (await app.AwaitAsync([parent], timeoutSeconds: 60))["results"]![0]!;

        Assert.True(result["status"]!.GetValue<string>() == "Succeeded", result.ToJsonString());
        Assert.Equal("child", result["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task Await_inside_a_job_succeeds_when_a_worker_is_free()
    {
        using var app = new TestApp(workers: 2);
        var parent = await app.StartAsync("tests.await_child", new { timeoutMs = 30_000 });

        var result = (await app.AwaitAsync([parent]))["results"]![0]!;

        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal("child", result["output"]!.GetValue<string>());
    }
}
