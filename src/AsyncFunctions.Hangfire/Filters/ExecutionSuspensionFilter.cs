using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.States;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// Turns the Succeeded state of a run that suspended into <see cref="SuspendedState"/> (an await)
/// or <see cref="SleepingState"/> (a long sleep), so the worker is free and the job waits. Runs
/// under the job's distributed lock, after the run saved its waits: reading the awaited results
/// again here closes the gap between the run's own look and the commit of the new state, since a
/// child that finishes in that gap cannot resume a job that is not suspended yet.
/// </summary>
public sealed class ExecutionSuspensionFilter(IExecutionStore store, TimeProvider time) : IElectStateFilter
{
    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not SucceededState { Result: ExecutionOutput { Suspension: { } suspension } })
        {
            return;
        }

        var now = time.GetUtcNow();
        if (suspension.WakeAt <= now || (!suspension.IsSleep && NothingLeftToAwait(suspension.WaitingFor)))
        {
            // Due already: queued again in this very state change, which holds the job's lock.
            context.CandidateState = new ResumedAtOnceState();
            return;
        }

        context.CandidateState = suspension.IsSleep
            ? new SleepingState(suspension.WakeAt.UtcDateTime) { Reason = "Sleeping without a worker" }
            : new SuspendedState(suspension.WaitingFor, suspension.WakeAt, now) { Reason = SuspendedState.Describe(suspension) };
    }

    private bool NothingLeftToAwait(IReadOnlyList<string> ids) =>
        AwaitRules.NothingLeftToAwait(ids, Blocking.Wait(store.GetResultsAsync(ids.ToArray())));
}
