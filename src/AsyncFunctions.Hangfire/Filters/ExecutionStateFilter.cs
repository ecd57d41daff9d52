using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Control;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.Resuming;
using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Hangfire.Webhooks;
using AsyncFunctions.Telemetry;
using AsyncFunctions.Webhooks;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// Keeps the results table in step with Hangfire. <c>OnStateApplied</c> runs inside the job's
/// state change, in whichever process makes it (client, worker, scheduler, dashboard), before
/// Hangfire commits, and it may run again if the commit is retried: every write here is an
/// idempotent, monotonic upsert (see <see cref="ExecutionStatusRules"/>), and each uses the
/// state's own timestamp so a repeat is recognised as the same write. Everything a write needs
/// rides on the state itself: the new row on <see cref="NewExecutionState"/> and <see cref="NewScheduledExecutionState"/>, a suspension's time on <see cref="SuspendedState"/>, the output on
/// <see cref="SucceededState.Result"/>, a retried attempt's error on <see cref="RetryScheduledState"/>.
/// </summary>
public sealed class ExecutionStateFilter(IExecutionStore store, ICompletionPublisher completions, ExecutionChangeFeed changes, ResumeRequests resumes, RunningExecutions running, IOptions<RetentionOptions> retention, ICallbackStore callbacks, WebhookJobs webhooks) : IApplyStateFilter
{
    /// <summary>A job leaving one of these for another final state (a delete after success) is no new outcome.</summary>
    private static readonly HashSet<string> FinishedStates = new([SucceededState.StateName, FailedState.StateName, DeletedState.StateName], StringComparer.OrdinalIgnoreCase);

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        // How long Hangfire keeps a succeeded or deleted job (it expires final states only): never
        // longer than the execution's record.
        context.JobExpirationTimeout = retention.Value.JobExpirationOr(context.JobExpirationTimeout);
        var id = context.BackgroundJob.Id;
        if (context.NewState is INewExecutionState created)
        {
            // The job's creation; the insert is idempotent, so a creation Hangfire retries writes the same row.
            Blocking.Wait(store.CreateAsync(created.Row with { Id = id }));
            if (created.Row.CallbackUrl is { } url)
            {
                Blocking.Wait(callbacks.SaveAsync(id, url));
            }

            created.WrittenId = id;
            return;
        }

        var function = context.BackgroundJob.Job?.Args.FirstOrDefault() as string ?? "unknown";
        if (context.NewState is ResumedAtOnceState resumed)
        {
            // The suspension this resume ends, recorded first so the resume counts as one.
            Blocking.Wait(store.ApplyAsync(new StatusChange(id, function, ExecutionStatus.Awaiting, resumed.SuspendedAt)));
        }

        var change = ToChange(id, function, context.NewState);
        if (change is null || context.OldStateName is null)
        {
            return;
        }

        if (context.NewState is ProcessingState)
        {
            // This node's worker is about to run the job: a cancel from now on reaches the run.
            running.Prepare(id);
        }

        if (context.NewState is DeletedState)
        {
            // A delete (API cancel or dashboard) stops this node's run of the job at once; another
            // node's run stops at its server's next check of deleted jobs.
            running.Cancel(id);
        }

        var applied = Blocking.Wait(store.ApplyAsync(change));
        if (applied && change.Status.IsTerminal())
        {
            completions.Publish(new ExecutionResult(id, change.Status, change.Output, change.Error));
            resumes.Finished(id);
        }

        if (change.Status.IsTerminal() && WebhookJobs.HasCallback(context.BackgroundJob.Job) && !FinishedStates.Contains(context.OldStateName))
        {
            // Also when the write was not applied: a state change Hangfire makes again after a
            // crash finds the record already finished. The delivery settles each message once.
            webhooks.Enqueue(id);
        }

        if (applied)
        {
            // Open event streams re-read the record; nothing happens here while none is open.
            changes.Changed(id);
            Record(change, context);
        }
    }

    private static void Record(StatusChange change, ApplyStateContext context)
    {
        if (change.Status.IsTerminal())
        {
            ExecutionTelemetry.RecordFinished(change.Function, change.Status, change.At - Utc(context.BackgroundJob.CreatedAt));
        }
        else if (context.NewState is RetryScheduledState)
        {
            ExecutionTelemetry.Retried.Add(1, ExecutionTelemetry.Function(change.Function));
        }
        else if (change.Status == ExecutionStatus.Awaiting)
        {
            ExecutionTelemetry.Suspended.Add(1, ExecutionTelemetry.Function(change.Function));
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    private static StatusChange? ToChange(string id, string function, IState state) => state switch
    {
        SuspendedState suspended => new StatusChange(id, function, ExecutionStatus.Awaiting, suspended.SuspendedAt),
        SleepingState sleeping => new StatusChange(id, function, ExecutionStatus.Awaiting, Utc(sleeping.ScheduledAt)),
        EnqueuedState enqueued => new StatusChange(id, function, ExecutionStatus.Enqueued, Utc(enqueued.EnqueuedAt)),
        ScheduledState scheduled => new StatusChange(id, function, ExecutionStatus.Scheduled, Utc(scheduled.ScheduledAt))
        {
            Error = (scheduled as RetryScheduledState)?.Error,
        },
        ProcessingState processing => new StatusChange(id, function, ExecutionStatus.Processing, Utc(processing.StartedAt)),
        SucceededState succeeded => new StatusChange(id, function, ExecutionStatus.Succeeded, Utc(succeeded.SucceededAt))
        {
            Output = (succeeded.Result as ExecutionOutput)?.Value,
        },
        FailedState failed => new StatusChange(id, function, ExecutionStatus.Failed, Utc(failed.FailedAt))
        {
            Error = Running.ExecutionErrors.From(failed.Exception),
        },
        DeletedState deleted => new StatusChange(id, function, ExecutionStatus.Cancelled, Utc(deleted.DeletedAt))
        {
            Error = new ExecutionError(ExecutionErrorTypes.Platform, deleted.Reason ?? "The job was deleted before it finished.", ExecutionErrorCodes.Cancelled),
        },
        _ => null,
    };

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
