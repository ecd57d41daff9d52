using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The dashboard's Recurring Jobs page lists schedules by their function, and its Trigger and
/// Delete buttons (posts with the page's anti-forgery token, as its script sends them) keep the
/// schedules in step: a trigger is an occurrence recorded on the schedule, a delete deletes it.
/// </summary>
public sealed partial class DashboardScheduleTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task The_recurring_jobs_page_lists_a_schedule_with_its_function()
    {
        var name = ScheduleClient.NewName("page");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "0 0 1 1 *" });

        var page = await _app.CreateClient().GetStringAsync(new Uri("/hangfire/recurring", UriKind.Relative));

        Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains("examples.echo", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trigger_button_starts_an_occurrence_recorded_on_the_schedule()
    {
        var name = ScheduleClient.NewName("dashtrigger");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = "clicked" }, cron = "0 0 1 1 *" });

        using var response = await PostAsync("/hangfire/recurring/trigger", name);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var occurrence = Assert.Single(await _app.WaitForOccurrencesAsync(name, 1, ScheduleClient.IsSucceeded));
        Assert.Equal("clicked", occurrence["output"]!.GetValue<string>());
        Assert.Equal(TestKeys.AdminName, occurrence["caller"]!["key"]!.GetValue<string>());
        var schedule = await _app.GetAsync($"/api/schedules/{name}");
        Assert.Equal(occurrence["id"]!.GetValue<string>(), schedule["lastExecutionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_delete_button_deletes_the_schedule()
    {
        var name = ScheduleClient.NewName("dashdelete");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "0 0 1 1 *" });

        using var response = await PostAsync("/hangfire/recurring/remove", name);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await _app.GetAsync($"/api/schedules/{name}", HttpStatusCode.NotFound);
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Null(connection.GetAllEntriesFromHash("recurring-job:" + name));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string name)
    {
        using var client = _app.CreateClient();
        var page = await client.GetStringAsync(new Uri("/hangfire/recurring", UriKind.Relative));
        var header = CsrfHeader().Match(page);
        var token = CsrfToken().Match(page);
        Assert.True(header.Success && token.Success, "The dashboard page carries no anti-forgery token.");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("jobs[]", name)]),
        };
        request.Headers.Add(header.Groups[1].Value, token.Groups[1].Value);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
