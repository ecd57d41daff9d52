using AsyncFunctions.Hangfire.Filters;
using AsyncFunctions.Schedules;
using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// The recurring job manager the dashboard's Recurring Jobs page uses, so its buttons keep the
/// schedules in step as Requeue and Delete do for executions: Trigger starts an occurrence as the
/// API's trigger does (recorded on the schedule, overlap respected), and Delete deletes the
/// schedule (a declared one stays: it is read-only outside its configuration). Everything else is
/// Hangfire's own manager. The buttons are an operator's clicks, which wait in their request.
/// </summary>
public sealed partial class ScheduleRecurringJobManager(RecurringJobManager inner, ScheduleService schedules, ILogger<ScheduleRecurringJobManager> logger) : IRecurringJobManagerV2
{
    public JobStorage Storage => inner.Storage;

    public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) =>
        inner.AddOrUpdate(recurringJobId, job, cronExpression, options);

    public void Trigger(string recurringJobId) => TriggerJob(recurringJobId);

    public string? TriggerJob(string recurringJobId)
    {
        var schedule = Blocking.Wait(schedules.Store.GetAsync(recurringJobId));
        if (schedule is null)
        {
            return inner.TriggerJob(recurringJobId);
        }

        try
        {
            return Blocking.Wait(schedules.StartOccurrenceAsync(schedule, schedules.Time.GetUtcNow(), CancellationToken.None)).Id;
        }
        catch (ScheduleConflictException ex)
        {
            LogNotTriggered(logger, recurringJobId, ex.Message);
            return null;
        }
    }

    public void RemoveIfExists(string recurringJobId)
    {
        var schedule = Blocking.Wait(schedules.Store.GetAsync(recurringJobId));
        if (schedule is { Declared: true })
        {
            LogDeclaredKept(logger, recurringJobId);
            return;
        }

        if (schedule is not null)
        {
            Blocking.Wait(schedules.Store.DeleteAsync(recurringJobId));
        }

        inner.RemoveIfExists(recurringJobId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule} was not triggered from the dashboard: {Reason}")]
    private static partial void LogNotTriggered(ILogger logger, string schedule, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Schedule} is declared in configuration and was not deleted from the dashboard; remove it from the configuration.")]
    private static partial void LogDeclaredKept(ILogger logger, string schedule);
}
