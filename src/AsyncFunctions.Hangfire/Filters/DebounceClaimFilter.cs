using AsyncFunctions.FlowControl;
using AsyncFunctions.Hangfire.States;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Filters;

/// <summary>
/// When a debounced function's pending execution is about to be queued (its delayed start's time
/// came), ends folding into it, or, when a later start moved its run, schedules it again for that
/// time instead. The decision is one statement on the debounce row (<see cref="IDebounceStore.ClaimAsync"/>),
/// so a start folding on another node at the same moment either lands before it (and moves the run)
/// or after it (and makes a new pending execution). Runs before <see cref="Jobs.ExecutionQueue"/>,
/// and before any filter that admits an Enqueued execution, so a rescheduled one is never admitted.
/// </summary>
public sealed class DebounceClaimFilter(IDebounceStore debounces, TimeProvider time) : IElectStateFilter
{
    /// <summary>The job parameter that holds the pending execution's debounce key value.</summary>
    public const string ParameterName = "AsyncFunctions.Debounce";

    /// <summary>Before <see cref="Jobs.ExecutionQueue.FilterOrder"/>.</summary>
    public const int FilterOrder = 9_000;

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not EnqueuedState || context.CandidateState is INewExecutionState)
        {
            return;
        }

        var key = context.GetJobParameter<string>(ParameterName, allowStale: true);
        if (key is null || context.BackgroundJob.Job?.Args.FirstOrDefault() is not string function)
        {
            return;
        }

        var later = Blocking.Wait(debounces.ClaimAsync(function, key, context.BackgroundJob.Id, time.GetUtcNow()));
        if (later is { } runAt)
        {
            context.CandidateState = new ScheduledState(runAt.UtcDateTime) { Reason = "Debounced: a later start moved its run" };
        }
    }
}
