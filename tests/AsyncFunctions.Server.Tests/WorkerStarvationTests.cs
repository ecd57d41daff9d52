namespace AsyncFunctions.Server.Tests;

public sealed class WorkerStarvationTests
{
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
    public async Task Await_inside_a_job_succeeds_when_a_worker_is_free()
    {
        using var app = new TestApp(workers: 2);
        var parent = await app.StartAsync("tests.await_child", new { timeoutMs = 30_000 });

        var result = (await app.AwaitAsync([parent]))["results"]![0]!;

        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal("child", result["output"]!.GetValue<string>());
    }
}
