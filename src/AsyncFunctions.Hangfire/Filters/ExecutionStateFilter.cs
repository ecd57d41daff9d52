using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Control;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Hangfire.Webhooks;
using AsyncFunctions.Recording;
using AsyncFunctions.Running;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// Maps Hangfire's state changes of execution jobs to <see cref="StatusChange"/>s and hands them
/// to the <see cref="StatusChangeRecorder"/>, which writes them and runs every side effect.
/// <c>OnStateApplied</c> runs inside the job's state change, in whichever process makes it
/// (client, worker, scheduler, dashboard), before Hangfire commits, and it may run again if the
/// commit is retried. Where the job storage's transaction is an <see cref="IRecordsOnCommit"/>
/// (PostgreSQL) the change's row commits in Hangfire's own transaction and its observers run after
/// that commit; elsewhere the row is written here, before Hangfire's commit: every write is an idempotent, monotonic upsert (see
/// <see cref="ExecutionStatusRules"/>) made with the state's own timestamp, so a repeat is
/// recognised as the same write. Everything a write needs rides on the state itself: the new row
/// on <see cref="NewExecutionState"/> and <see cref="NewScheduledExecutionState"/>, a suspension's
/// time on <see cref="SuspendedState"/>, the output on <see cref="SucceededState.Result"/>, a
/// retried attempt's error on <see cref="RetryScheduledState"/>. Only the Hangfire-bound parts
/// stay here: the job's expiration and this node's running job (prepare, cancel).
/// </summary>
public sealed class ExecutionStateFilter(StatusChangeRecorder recorder, RunningExecutions running, IOptions<RetentionOptions> retention, StartedExecutions started) : IApplyStateFilter
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
            // The job's creation; idempotent, so a creation Hangfire retries writes the same row.
            // Where the job storage commits the row with the job's first state, it does so unless
            // the creation already runs in a transaction of its own (one-transaction starts).
            if (transaction is IRecordsOnCommit onCommit && System.Transactions.Transaction.Current is null)
            {
                created.WritesOnCommit = true;
                onCommit.CreateOnCommit(recorder, created.Row with { Id = id }, () => created.WrittenId = id);
                return;
            }

            var row = created.Row with { Id = id };
            Blocking.Wait(recorder.CreateAsync(row));
            created.WrittenId = id;
            if (created is NewExecutionState)
            {
                // Queued now (a delayed start's row may still change, a debounced one's input): its
                // first run here can start from this row instead of reading it back.
                started.Created(row);
            }

            return;
        }

        var function = context.BackgroundJob.Job?.Args.FirstOrDefault() as string ?? "unknown";
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
        else if (context.NewState is DeletedState)
        {
            // A delete (API cancel or dashboard) stops this node's run of the job at once; another
            // node's run stops at its server's next check of deleted jobs.
            running.Cancel(id);
        }

        var origin = new StatusChangeOrigin(StatusChangeSource.JobState)
        {
            HasCallback = WebhookJobs.HasCallback(context.BackgroundJob.Job),
            LeavesFinishedState = FinishedStates.Contains(context.OldStateName),
            CreatedAt = Utc(context.BackgroundJob.CreatedAt),
            // Read only for a failure: the schedule's failed-occurrence counter is its one reader.
            Schedule = change.Status == ExecutionStatus.Failed
                ? context.GetJobParameter<string>(Schedules.ScheduleJobs.ScheduleParameter, allowStale: true)
                : null,
        };
        if (context.NewState is ResumedAtOnceState resumed)
        {
            // The suspension this resume ends, recorded first so the resume counts as one.
            Record(transaction, new StatusChange(id, function, ExecutionStatus.Awaiting, resumed.SuspendedAt), origin with { ResumedAtOnce = true });
        }

        Record(transaction, change, origin);
    }

    /// <summary>
    /// Where the job storage commits the results table's writes with its own (PostgreSQL), the
    /// change waits for that commit; elsewhere it is written now, before Hangfire commits. The
    /// write and then the observers, on this thread, which waits for them anyway: the write's
    /// completion wakes it directly, with no continuation queued to the thread pool in between.
    /// </summary>
    private void Record(IWriteOnlyTransaction transaction, StatusChange change, StatusChangeOrigin origin)
    {
        if (transaction is IRecordsOnCommit onCommit)
        {
            onCommit.RecordOnCommit(recorder, change, origin);
            return;
        }

        var applied = change.StartsAttempt && started.Holds(change.Id)
            ? WriteStart(change)
            : Blocking.Wait(recorder.WriteAsync(change));
        Blocking.Wait(recorder.ObserveAsync(new RecordedStatusChange(change, origin, applied)));
    }

    /// <summary>
    /// The start of an execution this node created and still holds: written as its first start,
    /// which tells whether the held row is still what a read would return; if it is not (a
    /// retry, a resume, a run another node began), the row is dropped and the start written as any.
    /// </summary>
    private bool WriteStart(StatusChange change)
    {
        if (Blocking.Wait(recorder.WriteFirstStartAsync(change)))
        {
            started.Started(change.Id, change.At);
            return true;
        }

        started.Forget(change.Id);
        return Blocking.Wait(recorder.WriteAsync(change));
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    private static StatusChange? ToChange(string id, string function, IState state) => state switch
    {
        SuspendedState suspended => new StatusChange(id, function, ExecutionStatus.Awaiting, suspended.SuspendedAt),
        WaitingState waiting => new StatusChange(id, function, ExecutionStatus.Waiting, waiting.Since),
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
