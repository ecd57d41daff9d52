using System.Diagnostics;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.Filters;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Schedules;
using AsyncFunctions.Telemetry;
using AsyncFunctions.Webhooks;
using Hangfire.Client;
using Hangfire.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Schedules;

/// <summary>
/// Turns each job Hangfire's recurring job scheduler creates for a schedule into an ordinary
/// execution. Hangfire creates an occurrence's job without a state, runs the client filters (which
/// see its <c>RecurringJobId</c> and <c>Time</c> parameters), then enqueues it: so the row written
/// here, under the job's id, is in the results table before any worker can fetch the job.
/// <c>OnCreating</c> reads the schedule and cancels the occurrence of a deleted or paused schedule,
/// or one whose previous execution is still running under overlap "skip" (counted); the input and
/// caller are the schedule's, checked when it was saved.
/// <para>
/// An occurrence of a debounced function is a start like any other: Hangfire's job is cancelled and
/// the occurrence goes through the ordinary start path (<see cref="ScheduleService.StartOccurrenceAsync"/>),
/// where it folds into the pending execution of its key or makes a new one, as a trigger does.
/// </para>
/// </summary>
public sealed partial class ScheduleOccurrenceFilter(
    IScheduleStore schedules,
    IExecutionStore executions,
    IFunctionCatalog catalog,
    ICallbackStore callbacks,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ScheduleOccurrenceFilter> logger) : IClientFilter
{
    private const string OccurrenceItem = "AsyncFunctions.ScheduleOccurrence";

    public void OnCreating(CreatingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Parameters.TryGetValue(ScheduleJobs.RecurringJobIdParameter, out var id) || id is not string name)
        {
            return;
        }

        var schedule = Blocking.Wait(schedules.GetAsync(name));
        if (schedule is not { Enabled: true })
        {
            LogNotEnabled(logger, name);
            context.Canceled = true;
            return;
        }

        // Hangfire's time of the occurrence: the tick itself, or (after a late poll or downtime) the
        // time it fired, in whole seconds; the occurrence is the latest tick at or before it.
        var firedAt = context.Parameters.TryGetValue(ScheduleJobs.TimeParameter, out var seconds) && seconds is long unix
            ? DateTimeOffset.FromUnixTimeSeconds(unix)
            : time.GetUtcNow();
        var scheduledFor = ScheduleTimetable.For(schedule).Latest(firedAt) ?? firedAt;
        if (Blocking.Wait(ScheduleOverlapCheck.BlocksAsync(schedule, executions, CancellationToken.None)))
        {
            Blocking.Wait(schedules.CountSkippedAsync(name));
            ScheduleTelemetry.Skipped.Add(1, ScheduleTelemetry.Schedule(name));
            LogSkipped(logger, name, scheduledFor, schedule.LastExecutionId);
            context.Canceled = true;
            return;
        }

        var function = Blocking.Wait(catalog.FindAsync(schedule.Function).AsTask());
        if (function is { Flow.Debounce: not null })
        {
            context.Canceled = true;
            StartDebounced(schedule, scheduledFor);
            return;
        }

        var activity = ScheduleTelemetry.StartOccurrence(name, schedule.Function, scheduledFor);
        if (function is { Retry.MaxRetries: > 0 })
        {
            context.SetJobParameter(JobRetryPolicy.ParameterName, JobRetryPolicy.From(function.Retry));
        }

        context.SetJobParameter(ScheduleJobs.ScheduleParameter, name);
        // Hangfire enqueues the occurrence after this filter: the queue filter reads the function's queue from here.
        var queue = function?.Flow.Queue ?? AsyncFunctions.FlowControl.FunctionFlow.DefaultQueue;
        if (ExecutionQueue.Parameter(queue) is { } queueParameter)
        {
            context.SetJobParameter(ExecutionQueue.ParameterName, queueParameter);
        }

        if (function is { Flow.IsLimited: true }
            && Blocking.Wait(AsyncFunctions.FlowControl.AdmissionTickets.CreateAsync(function, schedule.Input, schedule.Owner, CancellationToken.None).AsTask()) is { } ticket)
        {
            // The occurrence enters admission like any start, with its keys evaluated now.
            context.SetJobParameter(FlowControl.AdmissionFilter.TicketParameter, ticket.ToJson());
        }

        if (activity?.Id is { } traceParent)
        {
            context.SetJobParameter(ExecutionTelemetry.TraceParentParameter, traceParent);
        }

        // A function gone since the schedule was saved still gets its execution, which then fails
        // with unknown_function where the schedule's owner can see it.
        var row = new NewExecution("", schedule.Function, function?.Version, ExecutionStatus.Enqueued, schedule.Input, null, time.GetUtcNow())
        {
            Caller = schedule.Owner,
            CallbackUrl = schedule.CallbackUrl ?? function?.CallbackUrl,
            Schedule = name,
            ScheduledFor = scheduledFor,
            Queue = queue,
        };
        context.Items[OccurrenceItem] = new Occurrence(row, activity);
    }

    public void OnCreated(CreatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Items.TryGetValue(OccurrenceItem, out var item) || item is not Occurrence occurrence)
        {
            return;
        }

        using var activity = occurrence.Activity;
        var row = occurrence.Row;
        var name = row.Schedule!;
        if (context.Canceled || context.Exception is not null || context.BackgroundJob?.Id is not { } id)
        {
            ScheduleTelemetry.Failed.Add(1, ScheduleTelemetry.Schedule(name));
            activity?.SetStatus(ActivityStatusCode.Error, context.Exception?.Message ?? "not created");
            return;
        }

        // The job has no state yet: no worker sees it until Hangfire enqueues it after this filter.
        Blocking.Wait(executions.CreateAsync(row with { Id = id }));
        if (row.CallbackUrl is { } url)
        {
            Blocking.Wait(callbacks.SaveAsync(id, url));
        }

        Blocking.Wait(schedules.RecordOccurrenceAsync(name, id, row.ScheduledFor!.Value));
        activity?.SetTag("asyncfunctions.execution.id", id);
        ExecutionTelemetry.Started.Add(1, ExecutionTelemetry.Function(row.Function));
        ScheduleTelemetry.Fired.Add(1, ScheduleTelemetry.Schedule(name));
    }

    /// <summary>
    /// Starts a debounced function's occurrence through the start path, on this scheduler thread
    /// (not a thread-pool thread). A failure is counted and logged there; the schedule goes on.
    /// </summary>
    private void StartDebounced(Schedule schedule, DateTimeOffset scheduledFor)
    {
        // Resolved here: the schedule service creates jobs through the filters this filter is one of.
        var service = services.GetRequiredService<ScheduleService>();
        try
        {
            var record = Blocking.Wait(service.StartOccurrenceAsync(schedule, scheduledFor, CancellationToken.None));
            LogDebounced(logger, schedule.Name, scheduledFor, record.Id, record.Debounced == true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDebouncedFailed(logger, schedule.Name, scheduledFor, ex);
        }
    }

    private sealed record Occurrence(NewExecution Row, Activity? Activity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: occurrence not started, the schedule is deleted or paused.")]
    private static partial void LogNotEnabled(ILogger logger, string schedule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: occurrence {ScheduledFor:O} of a debounced function started through the start path as execution {Id} (folded into a pending one: {Folded}).")]
    private static partial void LogDebounced(ILogger logger, string schedule, DateTimeOffset scheduledFor, string id, bool folded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Schedule}: occurrence {ScheduledFor:O} of a debounced function could not be started.")]
    private static partial void LogDebouncedFailed(ILogger logger, string schedule, DateTimeOffset scheduledFor, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Schedule}: occurrence {ScheduledFor:O} skipped, execution {Previous} has not finished (overlap \"skip\").")]
    private static partial void LogSkipped(ILogger logger, string schedule, DateTimeOffset scheduledFor, string? previous);
}
