using System.Collections.Concurrent;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Running;
using Hangfire.States;
using Hangfire.Storage;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// Keeps the results table in step with Hangfire. <c>OnStateApplied</c> runs inside the job's
/// state change, in whichever process makes it (client, worker, scheduler, dashboard), before
/// Hangfire commits, and it may run again if the commit is retried: every write here is an
/// idempotent, monotonic upsert (see <see cref="ExecutionStatusRules"/>), and each uses the
/// state's own timestamp so a repeat is recognised as the same write.
/// </summary>
public sealed class ExecutionStateFilter(IExecutionStore store, ICompletionPublisher completions, OutputHandOff outputs) : IApplyStateFilter
{
    private readonly ConcurrentDictionary<string, ExecutionError> _retryErrors = new(StringComparer.Ordinal);

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        var id = context.BackgroundJob.Id;
        if (context.OldStateName is null)
        {
            OnCreated(id, context);
            return;
        }

        var function = context.BackgroundJob.Job?.Args.FirstOrDefault() as string ?? "unknown";
        var change = ToChange(id, function, context.NewState);
        if (change is null)
        {
            return;
        }

        var applied = Blocking.Wait(store.ApplyAsync(change));

        // Only now that the write is done: a state change Hangfire retries after a failed write still finds these.
        if (context.NewState is SucceededState)
        {
            outputs.Discard(id);
        }
        else if (context.NewState is ScheduledState)
        {
            _retryErrors.TryRemove(id, out _);
        }

        if (applied && change.Status.IsTerminal())
        {
            completions.Publish(new ExecutionResult(id, change.Status, change.Output, change.Error));
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }

    /// <summary>Remembers the error of a failed attempt that <see cref="ExecutionRetryFilter"/> turned into a retry.</summary>
    internal void RememberRetryError(string id, ExecutionError error) => _retryErrors[id] = error;

    private void OnCreated(string id, ApplyStateContext context)
    {
        var draft = ExecutionDraft.Current;
        if (draft is null || context.NewState is not (EnqueuedState or ScheduledState))
        {
            return;
        }

        var row = draft.ToNewExecution(id) with
        {
            Status = context.NewState is ScheduledState ? ExecutionStatus.Scheduled : ExecutionStatus.Enqueued,
        };
        Blocking.Wait(store.CreateAsync(row));
        draft.Written = row;
    }

    private StatusChange? ToChange(string id, string function, IState state) => state switch
    {
        EnqueuedState enqueued => new StatusChange(id, function, ExecutionStatus.Enqueued, Utc(enqueued.EnqueuedAt)),
        ScheduledState scheduled => new StatusChange(id, function, ExecutionStatus.Scheduled, Utc(scheduled.ScheduledAt))
        {
            Error = _retryErrors.TryGetValue(id, out var error) ? error : null,
        },
        ProcessingState processing => new StatusChange(id, function, ExecutionStatus.Processing, Utc(processing.StartedAt)),
        SucceededState succeeded => new StatusChange(id, function, ExecutionStatus.Succeeded, Utc(succeeded.SucceededAt))
        {
            Output = outputs.Peek(id),
        },
        FailedState failed => new StatusChange(id, function, ExecutionStatus.Failed, Utc(failed.FailedAt))
        {
            Error = ExecutionErrors.From(failed.Exception),
        },
        DeletedState deleted => Cancelled(id, function, deleted),
        _ => null,
    };

    private StatusChange Cancelled(string id, string function, DeletedState deleted)
    {
        outputs.Discard(id);
        return new StatusChange(id, function, ExecutionStatus.Cancelled, Utc(deleted.DeletedAt))
        {
            Error = new ExecutionError(nameof(DeletedState), deleted.Reason ?? "The job was deleted before it finished.", ExecutionErrorCodes.Cancelled),
        };
    }

    private static DateTimeOffset Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc));
}
