using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The embedded default keeps its jobs in memory: schedules live in the results database and are
/// registered again at start, and an occurrence missed while the server was down runs once.
/// </summary>
public sealed class ScheduleRestartTests
{
    [Fact]
    public async Task A_restart_keeps_the_schedule_and_fires_it_again()
    {
        var name = ScheduleClient.NewName("restart");
        string database;
        DateTimeOffset lastBefore;
        using (var first = new TestApp(workers: 2))
        {
            database = first.DatabasePath;
            await first.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "*/2 * * * * *" });
            var before = await first.WaitForOccurrencesAsync(name, 1, ScheduleClient.IsSucceeded);
            lastBefore = before.Max(o => o["scheduledFor"]!.GetValue<DateTimeOffset>());
        }

        // Down for several ticks.
        await Task.Delay(5000);
        var restarted = DateTimeOffset.UtcNow;
        using var second = new TestApp(workers: 2, databasePath: database);
        var schedule = await second.GetAsync($"/api/schedules/{name}");
        Assert.True(schedule["enabled"]!.GetValue<bool>());

        var after = await second.WaitForOccurrencesAsync(name, 1, o => ScheduleClient.IsSucceeded(o) && o["scheduledFor"]!.GetValue<DateTimeOffset>() > restarted);
        var ticks = after.Select(o => o["scheduledFor"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(ticks.Count, ticks.Distinct().Count());

        // The ticks missed while it was down gave one run at most, not one each: counted among the runs the
        // second server made (the first may still fire a tick while it stops, after lastBefore). Hangfire,
        // registering the schedule at start, fires a tick of the last second before it as a current one.
        var caughtUp = after.Where(o => o["createdAt"]!.GetValue<DateTimeOffset>() >= restarted && o["scheduledFor"]!.GetValue<DateTimeOffset>() < restarted.AddSeconds(-1)).ToList();
        Assert.True(caughtUp.Count <= 1, $"last before {lastBefore:O}, restarted {restarted:O}: " + string.Join(", ", after.Select(o => $"{o["scheduledFor"]} (created {o["createdAt"]})")));
    }

    [Fact]
    public async Task An_occurrence_missed_while_the_server_was_down_runs_once_at_start()
    {
        var name = ScheduleClient.NewName("catchup");
        string database;

        // A first run (a catch-up needs one), under a cron that does not fire for months.
        JsonObject triggered;
        using (var first = new TestApp(workers: 1))
        {
            database = first.DatabasePath;
            await first.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = "0 0 0 1 1 *" });
            triggered = await first.PostScheduleAsync(name, "trigger", System.Net.HttpStatusCode.Accepted);
            await first.WaitForAsync(triggered["id"]!.GetValue<string>(), r => r["status"]!.GetValue<string>() == "Succeeded");
        }

        // The tick is set on an API-only node (no Hangfire server, so nothing fires there however
        // slow the machine is): the schedule's tick comes after its save and before the next start.
        DateTimeOffset tick;
        using (var apiOnly = new TestApp(workers: 0, databasePath: database))
        {
            while (true)
            {
                tick = NextSecondTick(DateTimeOffset.UtcNow.AddSeconds(2));
                var saved = await apiOnly.PutScheduleAsync(name, new { function = "examples.echo", input = new { value = 1 }, cron = $"{tick.Second} * * * * *" }, System.Net.HttpStatusCode.OK);
                if (saved["updatedAt"]!.GetValue<DateTimeOffset>() < tick)
                {
                    break;
                }
            }
        }

        while (DateTimeOffset.UtcNow < tick.AddSeconds(2))
        {
            await Task.Delay(200);
        }

        using var second = new TestApp(workers: 1, databasePath: database);
        var occurrences = await second.WaitForOccurrencesAsync(name, 2, ScheduleClient.IsSucceeded);
        var caughtUp = occurrences.Where(o => o["id"]!.GetValue<string>() != triggered["id"]!.GetValue<string>()).ToList();
        Assert.Equal(tick, Assert.Single(caughtUp)["scheduledFor"]!.GetValue<DateTimeOffset>());
    }

    private static DateTimeOffset NextSecondTick(DateTimeOffset at) =>
        new(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, TimeSpan.Zero);
}
