using System.ComponentModel;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Schedules;

namespace AsyncFunctions.Contracts;

[Description("A schedule: what it runs, when, and how its latest occurrence went.")]
public sealed record ScheduleView
{
    public required string Name { get; init; }

    public required string Function { get; init; }

    public required JsonObject Input { get; init; }

    public required string Cron { get; init; }

    public required string TimeZone { get; init; }

    public required bool Enabled { get; init; }

    public required ScheduleOverlap Overlap { get; init; }

    public string? CallbackUrl { get; init; }

    [Description("Declared in configuration (AsyncFunctions:Schedules): read-only through the API.")]
    public required bool Declared { get; init; }

    [Description("The name of the API key that created it; its occurrences run with this key as their caller. Null for a declared schedule.")]
    public string? Owner { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    [Description("The next occurrence; null while paused.")]
    public DateTimeOffset? NextRunAt { get; init; }

    [Description("The scheduledFor of the latest occurrence that started an execution.")]
    public DateTimeOffset? LastRunAt { get; init; }

    public string? LastExecutionId { get; init; }

    [Description("The status of that execution now.")]
    public ExecutionStatus? LastStatus { get; init; }

    [Description("Occurrences skipped because the previous execution had not finished (overlap \"skip\").")]
    public required long SkippedRuns { get; init; }

    public static ScheduleView From(Schedule schedule, DateTimeOffset now, ExecutionStatus? lastStatus)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new()
        {
            Name = schedule.Name,
            Function = schedule.Function,
            Input = schedule.Input,
            Cron = schedule.Cron,
            TimeZone = schedule.TimeZone,
            Enabled = schedule.Enabled,
            Overlap = schedule.Overlap,
            CallbackUrl = schedule.CallbackUrl,
            Declared = schedule.Declared,
            Owner = schedule.Owner?.Key,
            CreatedAt = schedule.CreatedAt,
            UpdatedAt = schedule.UpdatedAt,
            NextRunAt = schedule.Enabled ? ScheduleTimetable.For(schedule).Next(now) : null,
            LastRunAt = schedule.LastRunAt,
            LastExecutionId = schedule.LastExecutionId,
            LastStatus = lastStatus,
            SkippedRuns = schedule.SkippedRuns,
        };
    }
}
