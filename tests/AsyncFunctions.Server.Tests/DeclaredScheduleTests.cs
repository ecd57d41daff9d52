using System.Net;
using System.Net.Http.Json;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Schedules declared in configuration (AsyncFunctions:Schedules:&lt;name&gt;) fire like any other
/// and are read-only through the API; a declared schedule that is not valid stops the start.
/// </summary>
public sealed class DeclaredScheduleTests
{
    [Fact]
    public async Task A_declared_schedule_fires_and_is_read_only_through_the_api()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Schedules:nightly_echo:function"] = "examples.echo",
            ["AsyncFunctions:Schedules:nightly_echo:cron"] = "* * * * * *",
            ["AsyncFunctions:Schedules:nightly_echo:input:value"] = "7",
            ["AsyncFunctions:Schedules:nightly_echo:overlap"] = "allow",
        });

        var schedule = await app.GetAsync("/api/schedules/nightly_echo");
        Assert.True(schedule["declared"]!.GetValue<bool>());
        Assert.Null(schedule["owner"]);
        Assert.Equal("allow", schedule["overlap"]!.GetValue<string>());

        var occurrences = await app.WaitForOccurrencesAsync("nightly_echo", 1, ScheduleClient.IsSucceeded);
        Assert.Equal(7, occurrences.First(ScheduleClient.IsSucceeded)["output"]!.GetValue<int>());

        using var client = app.CreateClient();
        using var replaced = await client.PutAsJsonAsync("/api/schedules/nightly_echo", new { function = "examples.echo", cron = "* * * * *" });
        using var paused = await client.PostAsync(new Uri("/api/schedules/nightly_echo/pause", UriKind.Relative), null);
        using var deleted = await client.DeleteAsync(new Uri("/api/schedules/nightly_echo", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Conflict, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, paused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
        Assert.Contains("schedule.declared", await deleted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await app.GetAsync("/api/schedules/nightly_echo"))["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_schedule_no_longer_declared_is_gone_after_a_restart()
    {
        string database;
        using (var first = new TestApp(settings: Declared("0 0 1 1 *")))
        {
            database = first.DatabasePath;
            await first.GetAsync("/api/schedules/yearly");
        }

        using var second = new TestApp(databasePath: database);
        await second.GetAsync("/api/schedules/yearly", HttpStatusCode.NotFound);
    }

    [Fact]
    public void A_declared_schedule_that_is_not_valid_stops_the_start_naming_it()
    {
        using var app = new TestApp(settings: Declared("every minute"));

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("AsyncFunctions:Schedules:yearly", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("cron", error.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Declared(string cron) => new()
    {
        ["AsyncFunctions:Schedules:yearly:function"] = "examples.echo",
        ["AsyncFunctions:Schedules:yearly:cron"] = cron,
        ["AsyncFunctions:Schedules:yearly:input:value"] = "1",
    };
}
