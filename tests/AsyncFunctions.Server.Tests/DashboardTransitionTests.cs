using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The dashboard's Requeue and Delete buttons change a job's state through the DI job client;
/// these tests take the same path and check that the results table follows.
/// </summary>
public sealed class DashboardTransitionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task Deleting_a_running_job_cancels_the_execution()
    {
        var id = await _app.StartAsync("examples.echo", new { value = 1, delayMs = 60_000 });
        await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");

        Assert.True(_app.Services.GetRequiredService<IBackgroundJobClient>().Delete(id));
        var result = (await _app.AwaitAsync([id]))["results"]![0]!;

        Assert.Equal("Cancelled", result["status"]!.GetValue<string>());
        Assert.Equal("execution.cancelled", result["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_a_finished_job_leaves_its_record_as_it_was()
    {
        var id = await _app.StartAsync("examples.echo", new { value = "kept" });
        await _app.AwaitAsync([id]);

        Assert.True(_app.Services.GetRequiredService<IBackgroundJobClient>().Delete(id));
        var record = await _app.GetAsync($"/api/executions/{id}");

        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal("kept", record["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requeueing_a_failed_job_runs_it_again()
    {
        var id = await _app.StartAsync("examples.fail", new { message = "again" });
        await _app.AwaitAsync([id]);

        Assert.True(_app.Services.GetRequiredService<IBackgroundJobClient>().Requeue(id));
        var record = await _app.WaitForAsync(id, r => r["attempts"]!.GetValue<int>() == 2 && r["status"]!.GetValue<string>() == "Failed");

        Assert.Equal("again", record["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_dashboard_shows_the_function_name_as_the_job_name()
    {
        var id = await _app.StartAsync("examples.echo", new { value = 1 });
        await _app.AwaitAsync([id]);

        using var page = await _app.CreateClient().GetAsync(new Uri($"/hangfire/jobs/details/{id}", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1 class=\"page-header\">examples.echo</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_refuses_request_steps_of_stacks()
    {
        using var client = _app.CreateClient();
        using var stack = new HttpRequestMessage(HttpMethod.Get, new Uri("/hangfire", UriKind.Relative));
        stack.Headers.Add("AsyncFunctions-Execution", "some-execution");
        using var refused = await client.SendAsync(stack);
        using var allowed = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));

        // The client sends the admin key: the refusal is 403, whoever asks.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, allowed.StatusCode);
    }
}
