using AsyncFunctions.Contracts;
using AsyncFunctions.Executions;
using AsyncFunctions.Schedules;

namespace AsyncFunctions.Client.Tests;

/// <summary>Schedules through the client: save, read, list, trigger, the occurrence listed by schedule, pause, resume, delete, and a bad cron as a problem naming the field.</summary>
public sealed class ScheduleClientTests(ClientApp shared) : IClassFixture<ClientApp>
{
    [Fact]
    public async Task A_schedule_is_saved_triggered_listed_paused_resumed_and_deleted()
    {
        var client = shared.Client();
        var name = "client_" + Guid.NewGuid().ToString("N")[..8];
        var body = new ScheduleBody { Function = "examples.echo", Input = new() { ["value"] = "tick" }, Cron = "0 3 * * *", TimeZone = "Europe/Oslo", Overlap = ScheduleOverlap.Allow };

        var saved = await client.SaveScheduleAsync(name, body);
        var triggered = await client.TriggerScheduleAsync(name);
        var finished = await client.GetAsync(triggered.Id, waitSeconds: 30);
        var occurrences = await client.ListAsync(new ExecutionFilter { Schedule = name });
        var paused = await client.PauseScheduleAsync(name);
        var resumed = await client.ResumeScheduleAsync(name);
        var listed = await client.ListSchedulesAsync();
        var read = await client.GetScheduleAsync(name);
        await client.DeleteScheduleAsync(name);
        var gone = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => client.GetScheduleAsync(name));
        var invalid = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => client.SaveScheduleAsync(name, body with { Cron = "every minute" }));

        Assert.Equal("Europe/Oslo", saved.TimeZone);
        Assert.NotNull(saved.NextRunAt);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
        Assert.Equal(name, finished.Schedule);
        Assert.Equal(triggered.Id, Assert.Single(occurrences.Items).Id);
        Assert.False(paused.Enabled);
        Assert.Null(paused.NextRunAt);
        Assert.True(resumed.Enabled);
        Assert.Contains(listed, s => s.Name == name);
        Assert.Equal(triggered.Id, read.LastExecutionId);
        Assert.Equal(404, gone.Status);
        Assert.Equal(400, invalid.Status);
        Assert.Contains(invalid.Errors.Keys, k => k.Contains("cron", StringComparison.OrdinalIgnoreCase));
    }
}
