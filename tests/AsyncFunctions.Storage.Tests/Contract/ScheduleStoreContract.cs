using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Schedules;
using AsyncFunctions.Storage.Schedules;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The schedules table and the schedule columns of executions, on a database migrated with the scripts that ship.</summary>
public abstract class ScheduleStoreContract(IStoreFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private DapperScheduleStore Store
    {
        get
        {
            Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
            return new DapperScheduleStore(fixture.CreateDialect());
        }
    }

    private static Schedule New(string name, int value) => new()
    {
        Name = name,
        Function = "contract.fn",
        Input = new JsonObject { ["value"] = value, ["text"] = "ü" },
        Cron = "*/5 * * * * *",
        TimeZone = "Europe/Oslo",
        Overlap = ScheduleOverlap.Allow,
        CallbackUrl = "https://hooks.example.com/a",
        Owner = new ExecutionCaller("app-one", "invoker"),
        CreatedAt = At,
        UpdatedAt = At,
    };

    [SkippableFact]
    public async Task A_saved_schedule_reads_back_and_a_replace_keeps_its_owner_and_history()
    {
        var store = Store;
        var name = "s-" + Guid.NewGuid().ToString("N");
        Assert.True(await store.SaveAsync(New(name, 1)));
        await store.RecordOccurrenceAsync(name, "e1", At.AddSeconds(5));
        await store.CountSkippedAsync(name);

        Assert.False(await store.SaveAsync(New(name, 2) with { Owner = new ExecutionCaller("someone-else", "admin"), Enabled = false, UpdatedAt = At.AddMinutes(1) }));
        var read = await store.GetAsync(name);

        Assert.NotNull(read);
        Assert.Equal(2, read.Input["value"]!.GetValue<int>());
        Assert.Equal("ü", read.Input["text"]!.GetValue<string>());
        Assert.Equal(("*/5 * * * * *", "Europe/Oslo", ScheduleOverlap.Allow, false), (read.Cron, read.TimeZone, read.Overlap, read.Enabled));
        Assert.Equal(new ExecutionCaller("app-one", "invoker"), read.Owner);
        Assert.Equal((At, At.AddMinutes(1)), (read.CreatedAt, read.UpdatedAt));
        Assert.Equal((At.AddSeconds(5), "e1", 1L), (read.LastRunAt, read.LastExecutionId, read.SkippedRuns));
        Assert.Contains(await store.ListAsync(), s => s.Name == name);
    }

    [SkippableFact]
    public async Task An_earlier_occurrence_recorded_late_does_not_replace_the_latest()
    {
        var store = Store;
        var name = "s-" + Guid.NewGuid().ToString("N");
        await store.SaveAsync(New(name, 1));
        await store.RecordOccurrenceAsync(name, "later", At.AddSeconds(10));
        await store.RecordOccurrenceAsync(name, "earlier", At.AddSeconds(5));

        Assert.Equal("later", (await store.GetAsync(name))!.LastExecutionId);
    }

    [SkippableFact]
    public async Task Pause_and_delete_report_whether_the_schedule_exists()
    {
        var store = Store;
        var name = "s-" + Guid.NewGuid().ToString("N");
        Assert.False(await store.SetEnabledAsync(name, false, At));
        await store.SaveAsync(New(name, 1));

        Assert.True(await store.SetEnabledAsync(name, false, At.AddHours(1)));
        Assert.False((await store.GetAsync(name))!.Enabled);
        Assert.True(await store.DeleteAsync(name));
        Assert.False(await store.DeleteAsync(name));
        Assert.Null(await store.GetAsync(name));
    }

    [SkippableFact]
    public async Task An_execution_keeps_its_schedule_and_occurrence_and_lists_by_schedule()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        var executions = new DapperExecutionStore(fixture.CreateDialect());
        var schedule = "s-" + Guid.NewGuid().ToString("N");
        var id = "e-" + Guid.NewGuid().ToString("N");
        await executions.CreateAsync(new NewExecution(id, "contract.fn", null, ExecutionStatus.Enqueued, [], null, At) { Schedule = schedule, ScheduledFor = At.AddSeconds(-1) });
        await executions.CreateAsync(new NewExecution("e-" + Guid.NewGuid().ToString("N"), "contract.fn", null, ExecutionStatus.Enqueued, [], null, At));

        var record = await executions.GetAsync(id);
        var listed = await executions.ListAsync(new ExecutionQuery { Schedule = schedule });

        Assert.Equal((schedule, At.AddSeconds(-1)), (record!.Schedule, record.ScheduledFor!.Value));
        Assert.Equal(id, Assert.Single(listed.Items).Id);
    }
}
