using AsyncFunctions.Hangfire.Jobs;
using Hangfire;
using Hangfire.Common;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// The Hangfire side of a schedule: its recurring job runs <see cref="ExecutionJob"/> with the
/// function's name (what the dashboard's Recurring Jobs page shows), like any execution's job, and
/// is keyed by the schedule's name.
/// </summary>
internal static class ScheduleJobs
{
    /// <summary>The job parameters Hangfire gives every job its recurring job scheduler creates.</summary>
    public const string RecurringJobIdParameter = "RecurringJobId";

    public const string TimeParameter = "Time";

    /// <summary>The job parameter naming the schedule of every occurrence's job, however it was started (read by the failed metric).</summary>
    public const string ScheduleParameter = "AsyncFunctions.Schedule";

    private static readonly Job Run = Job.FromExpression<ExecutionJob>(j => j.RunAsync(null!, null!, CancellationToken.None));

    private static readonly Job RunWithCallback = Job.FromExpression<ExecutionJob>(j => j.RunWithCallbackAsync(null!, null!, null!, CancellationToken.None));

    public static Job For(string function, string? callbackUrl) => callbackUrl is null
        ? new Job(Run.Type, Run.Method, function, null, CancellationToken.None)
        : new Job(RunWithCallback.Type, RunWithCallback.Method, function, callbackUrl, null, CancellationToken.None);

    /// <summary>
    /// Missed occurrences after downtime give one run (Hangfire's default, stated here so it stays
    /// so); the occurrence's tick is recovered from the time Hangfire fired it.
    /// </summary>
    public static RecurringJobOptions Options(TimeZoneInfo zone) => new() { TimeZone = zone, MisfireHandling = MisfireHandlingMode.Relaxed };
}
