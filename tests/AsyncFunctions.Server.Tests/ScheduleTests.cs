using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Schedules on the embedded default (SQLite results, Hangfire's in-memory job storage) with real
/// Hangfire servers: Hangfire's recurring job scheduler fires them, and every occurrence is an
/// ordinary execution that names its schedule and its tick.
/// </summary>
public sealed class ScheduleTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task A_cron_with_seconds_fires_on_each_tick_as_a_succeeded_execution()
    {
        var name = ScheduleClient.NewName("every2s");
        var created = await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = "tick" }, cron = "*/2 * * * * *" });
        Assert.Equal(name, created["name"]!.GetValue<string>());
        Assert.True(created["nextRunAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddSeconds(-1));

        // Waits for occurrences rather than counting them in a fixed window: a busy machine may poll late.
        var occurrences = await _app.WaitForOccurrencesAsync(name, 5, ScheduleClient.IsSucceeded);
        await _app.PostScheduleAsync(name, "pause");

        var succeeded = occurrences.Where(ScheduleClient.IsSucceeded).ToList();
        var ticks = succeeded.Select(o => o["scheduledFor"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
        Assert.All(ticks, t => Assert.True(t.Second % 2 == 0 && t.Millisecond == 0 && t.Microsecond == 0, $"{t:O} is not on a tick of */2 seconds"));
        Assert.All(succeeded, o =>
        {
            Assert.Equal(name, o["schedule"]!.GetValue<string>());
            Assert.Equal("examples.echo", o["function"]!.GetValue<string>());
            Assert.Equal("tick", o["output"]!.GetValue<string>());
            Assert.Equal(TestKeys.AdminName, o["caller"]!["key"]!.GetValue<string>());
            // Never before its tick.
            Assert.True(o["startedAt"]!.GetValue<DateTimeOffset>() >= o["scheduledFor"]!.GetValue<DateTimeOffset>(), o.ToJsonString());
        });

        var schedule = await _app.GetAsync($"/api/schedules/{name}");
        Assert.True(schedule["lastRunAt"]!.GetValue<DateTimeOffset>() >= ticks.Max(), schedule.ToJsonString());
        Assert.NotNull(schedule["lastExecutionId"]);
    }

    [Fact]
    public async Task Overlap_skip_skips_occurrences_while_the_previous_execution_runs()
    {
        var name = ScheduleClient.NewName("skip");
        var gate = Guid.NewGuid().ToString("N");
        await _app.PutScheduleAsync(name, new { function = "tests.gated", input = new { gate, value = 1 }, cron = "* * * * * *", overlap = "skip" });

        await TestApp.WaitUntilAsync(async () => (await _app.GetAsync($"/api/schedules/{name}"))["skippedRuns"]!.GetValue<long>() >= 2);
        var whileRunning = await _app.OccurrencesAsync(name);
        Assert.Single(whileRunning);
        var first = whileRunning[0]["id"]!.GetValue<string>();
        Assert.Equal("Processing", (await _app.GetAsync($"/api/schedules/{name}"))["lastStatus"]!.GetValue<string>());

        TestFunctions.Gates.Release(gate);
        await _app.WaitForAsync(first, r => r["status"]!.GetValue<string>() == "Succeeded");
        await _app.WaitForOccurrencesAsync(name, 2, ScheduleClient.IsSucceeded);
        await _app.PostScheduleAsync(name, "pause");
    }

    [Fact]
    public async Task Overlap_allow_runs_occurrences_side_by_side()
    {
        var name = ScheduleClient.NewName("allow");
        var gate = Guid.NewGuid().ToString("N");
        await _app.PutScheduleAsync(name, new { function = "tests.gated", input = new { gate }, cron = "* * * * * *", overlap = "allow" });

        var running = await _app.WaitForOccurrencesAsync(name, 2, o => o["status"]!.GetValue<string>() == "Processing");
        await _app.PostScheduleAsync(name, "pause");
        TestFunctions.Gates.Release(gate);

        Assert.True(running.Count >= 2);
        Assert.Equal(0, (await _app.GetAsync($"/api/schedules/{name}"))["skippedRuns"]!.GetValue<long>());
    }

    [Fact]
    public async Task Pause_stops_occurrences_and_resume_fires_them_again()
    {
        var name = ScheduleClient.NewName("pause");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "* * * * * *" });
        await _app.WaitForOccurrencesAsync(name, 1);

        var paused = await _app.PostScheduleAsync(name, "pause");
        Assert.False(paused["enabled"]!.GetValue<bool>());
        Assert.Null(paused["nextRunAt"]);
        Assert.Null(RecurringJob(name));

        // An occurrence Hangfire fired just before the pause may still land; after that, none.
        await Task.Delay(1500);
        var atPause = (await _app.OccurrencesAsync(name)).Count;
        await Task.Delay(3000);
        Assert.Equal(atPause, (await _app.OccurrencesAsync(name)).Count);

        var resumed = await _app.PostScheduleAsync(name, "resume");
        Assert.True(resumed["enabled"]!.GetValue<bool>());
        await _app.WaitForOccurrencesAsync(name, atPause + 1);
        await _app.PostScheduleAsync(name, "pause");
    }

    [Fact]
    public async Task Trigger_runs_the_schedule_now_as_an_occurrence()
    {
        var name = ScheduleClient.NewName("trigger");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = "now" }, cron = "0 0 1 1 *" });

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var execution = await _app.PostScheduleAsync(name, "trigger", HttpStatusCode.Accepted);
        var id = execution["id"]!.GetValue<string>();
        Assert.Equal(name, execution["schedule"]!.GetValue<string>());
        Assert.True(execution["scheduledFor"]!.GetValue<DateTimeOffset>() >= before);

        await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Succeeded");
        var schedule = await _app.GetAsync($"/api/schedules/{name}");
        Assert.Equal(id, schedule["lastExecutionId"]!.GetValue<string>());
        Assert.Equal("Succeeded", schedule["lastStatus"]!.GetValue<string>());
        Assert.Equal(id, Assert.Single(await _app.OccurrencesAsync(name))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_stops_the_schedule_and_removes_its_recurring_job()
    {
        var name = ScheduleClient.NewName("delete");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "* * * * * *" });
        await _app.WaitForOccurrencesAsync(name, 1);
        Assert.NotNull(RecurringJob(name));

        using (var response = await _app.CreateClient().DeleteAsync(new Uri($"/api/schedules/{name}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await _app.GetAsync($"/api/schedules/{name}", HttpStatusCode.NotFound);
        Assert.Null(RecurringJob(name));
        await Task.Delay(1500);
        var atDelete = (await _app.OccurrencesAsync(name)).Count;
        await Task.Delay(3000);
        Assert.Equal(atDelete, (await _app.OccurrencesAsync(name)).Count);
    }

    [Fact]
    public async Task The_recurring_job_is_registered_with_hangfire_under_the_schedule_name_running_the_function()
    {
        var name = ScheduleClient.NewName("hangfire");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "0 8 * * *", timeZone = "Europe/Oslo" });

        var job = RecurringJob(name);
        Assert.NotNull(job);
        Assert.Equal("0 8 * * *", job["Cron"]);
        Assert.Contains("examples.echo", job["Job"], StringComparison.Ordinal);
        Assert.Equal("Europe/Oslo", job["TimeZoneId"]);
    }

    [Theory]
    [InlineData("""{ "function": "examples.echo", "cron": "* * *" }""", "cron")]
    [InlineData("""{ "function": "examples.echo", "cron": "*/61 * * * * *" }""", "cron")]
    [InlineData("""{ "function": "examples.echo", "cron": "* * * * *", "timeZone": "Mars/Olympus" }""", "timeZone")]
    [InlineData("""{ "function": "no.such.function", "cron": "* * * * *" }""", "function")]
    [InlineData("""{ "cron": "* * * * *" }""", "function")]
    [InlineData("""{ "function": "tests.fanout", "cron": "* * * * *", "input": { "count": 0 } }""", "input.count")]
    [InlineData("""{ "function": "examples.echo", "cron": "* * * * *", "input": [1] }""", "input")]
    [InlineData("""{ "function": "examples.echo", "cron": "* * * * *", "overlap": "queue" }""", "overlap")]
    [InlineData("""{ "function": "examples.echo", "cron": "* * * * *", "enabled": "yes" }""", "enabled")]
    [InlineData("""{ "function": "examples.echo", "cron": "* * * * *", "every": 5 }""", "every")]
    public async Task A_schedule_that_is_not_valid_is_refused_with_the_field_named(string body, string field)
    {
        var name = ScheduleClient.NewName("bad");
        using var response = await _app.CreateClient().PutAsync(new Uri($"/api/schedules/{name}", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject();
        Assert.True(errors.Any(e => e.Key.Contains(field, StringComparison.Ordinal)), text);
        await _app.GetAsync($"/api/schedules/{name}", HttpStatusCode.NotFound);
        Assert.Null(RecurringJob(name));
    }

    [Fact]
    public async Task Replacing_a_schedule_answers_200_and_keeps_its_history()
    {
        var name = ScheduleClient.NewName("replace");
        await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "0 0 1 1 *" });
        var triggered = await _app.PostScheduleAsync(name, "trigger", HttpStatusCode.Accepted);

        var replaced = await _app.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 2 }, cron = "0 0 2 1 *", enabled = false }, HttpStatusCode.OK);

        Assert.Equal(2, replaced["input"]!["value"]!.GetValue<int>());
        Assert.False(replaced["enabled"]!.GetValue<bool>());
        Assert.Equal(triggered["id"]!.GetValue<string>(), replaced["lastExecutionId"]!.GetValue<string>());
        Assert.Null(RecurringJob(name));
        Assert.Contains(await ListNamesAsync(), n => n == name);
    }

    private async Task<List<string>> ListNamesAsync() =>
        (await _app.CreateClient().GetFromJsonAsync<JsonArray>("/api/schedules"))!.Select(s => s!["name"]!.GetValue<string>()).ToList();

    private Dictionary<string, string>? RecurringJob(string name)
    {
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetAllEntriesFromHash("recurring-job:" + name);
    }
}
