using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Schedules;

/// <summary>
/// A function run on a timetable: what to run (function and input), when (cron in a time zone),
/// and what happened last. Every occurrence is an ordinary execution whose record names the schedule.
/// </summary>
public sealed record Schedule
{
    public required string Name { get; init; }

    public required string Function { get; init; }

    public required JsonObject Input { get; init; }

    /// <summary>5 fields, or 6 with seconds first.</summary>
    public required string Cron { get; init; }

    /// <summary>An IANA time zone id (or UTC) the cron is read in.</summary>
    public string TimeZone { get; init; } = "UTC";

    public bool Enabled { get; init; } = true;

    public ScheduleOverlap Overlap { get; init; } = ScheduleOverlap.Skip;

    /// <summary>Where each occurrence's result is posted; null uses the function's own, if any.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>The API key that created it; its occurrences run with this key as their caller. Null for a declared schedule.</summary>
    public ExecutionCaller? Owner { get; init; }

    /// <summary>Declared in configuration: read-only through the API.</summary>
    public bool Declared { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The occurrence time (scheduledFor) of the latest execution it started.</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    public string? LastExecutionId { get; init; }

    /// <summary>Occurrences skipped because the previous execution had not finished (overlap "skip").</summary>
    public long SkippedRuns { get; init; }
}
