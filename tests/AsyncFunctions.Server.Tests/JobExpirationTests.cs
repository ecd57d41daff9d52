using System.Net;
using System.Text.Json.Nodes;
using AsyncFunctions.Hangfire.Startup;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Hangfire keeps a finished job no longer than its record: the records' retention bounds the
/// jobs' expiration, and a retry after the job expired starts a new, linked execution.
/// </summary>
public sealed class JobExpirationTests
{
    [Theory]
    [InlineData(null, "30.00:00:00", "1.00:00:00", "1.00:00:00")]
    [InlineData(null, "01:00:00", "1.00:00:00", "01:00:00")]
    [InlineData(null, "00:00:00", "1.00:00:00", "1.00:00:00")]
    [InlineData("02:00:00", "30.00:00:00", "1.00:00:00", "02:00:00")]
    public void A_finished_jobs_expiration_is_the_set_one_or_hangfires_never_past_the_records_retention(string? jobExpiration, string executions, string hangfireDefault, string expected)
    {
        var options = new RetentionOptions
        {
            JobExpiration = jobExpiration is null ? null : TimeSpan.Parse(jobExpiration, System.Globalization.CultureInfo.InvariantCulture),
            Executions = TimeSpan.Parse(executions, System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), options.JobExpirationOr(TimeSpan.Parse(hangfireDefault, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_cancelled_job_expires_with_its_records_retention_and_a_retry_then_starts_a_linked_execution()
    {
        using var app = new TestApp(workers: 1, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Retention:Executions"] = "00:00:02",
            ["AsyncFunctions:Retention:PurgeInterval"] = "01:00:00",
        });
        var blocker = await app.StartAsync("examples.echo", new { value = 0, delayMs = 600_000 });
        await app.WaitForAsync(blocker, r => r["status"]!.GetValue<string>() == "Processing");
        var id = await app.StartAsync("examples.echo", new { value = "expired" });
        await app.PostAsync($"/api/executions/{id}/cancel", new { }, HttpStatusCode.OK);
        await app.PostAsync($"/api/executions/{blocker}/cancel", new { }, HttpStatusCode.OK);
        var storage = app.Services.GetRequiredService<JobStorage>();

        await TestApp.WaitUntilAsync(() =>
        {
            using var connection = storage.GetConnection();
            return Task.FromResult(connection.GetJobData(id) is null);
        });
        var retry = await app.PostAsync($"/api/executions/{id}/retry", new { }, HttpStatusCode.Accepted);

        Assert.Equal(id, retry["retryOf"]!.GetValue<string>());
        var record = await app.WaitForAsync(retry["id"]!.GetValue<string>(), r => r["status"]!.GetValue<string>() == "Succeeded");
        Assert.Equal("expired", record["output"]!.GetValue<string>());
    }
}
