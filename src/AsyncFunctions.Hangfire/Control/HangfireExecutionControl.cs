using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Jobs;
using Hangfire;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.Control;

/// <summary>
/// Cancels and requeues through Hangfire, as the dashboard's Delete and Requeue buttons do, so the
/// dashboard and the results table agree: the state filter writes the record inside the state
/// change. Each change names the state it expects, so a job that finished meanwhile is left alone.
/// Hangfire's client is synchronous and the state filter waits for its write inside it, so the
/// change runs on <see cref="JobCreationThreads"/>, as a start does: no request thread waits.
/// </summary>
public sealed class HangfireExecutionControl(IBackgroundJobClient jobs, JobStorage storage, JobCreationThreads threads) : IExecutionControl
{
    /// <summary>How often a change is tried again when the job's state moved between the look and the change.</summary>
    private const int Tries = 5;

    private static readonly string[] Finished = [SucceededState.StateName, FailedState.StateName, DeletedState.StateName];

    private static readonly string[] Requeueable = [FailedState.StateName, DeletedState.StateName];

    public Task<ControlOutcome> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        // The state filter stops this node's run of it at once (see RunningExecutions).
        return threads.RunAsync(
            () => Change(id, state => !Finished.Contains(state, StringComparer.OrdinalIgnoreCase), () => new DeletedState { Reason = "Cancelled through the API." }),
            cancellationToken);
    }

    public Task<ControlOutcome> RequeueAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return threads.RunAsync(
            () => Change(id, state => Requeueable.Contains(state, StringComparer.OrdinalIgnoreCase), () => new EnqueuedState { Reason = "Retried through the API." }),
            cancellationToken);
    }

    private ControlOutcome Change(string id, Func<string, bool> applies, Func<IState> newState)
    {
        for (var i = 0; i < Tries; i++)
        {
            string? current;
            using (var connection = storage.GetConnection())
            {
                current = connection.GetJobData(id) is null ? null : connection.GetStateData(id)?.Name;
            }

            if (current is null)
            {
                return ControlOutcome.NoJob;
            }

            if (!applies(current))
            {
                return ControlOutcome.WrongState;
            }

            if (jobs.ChangeState(id, newState(), current))
            {
                return ControlOutcome.Done;
            }
        }

        return ControlOutcome.WrongState;
    }
}
