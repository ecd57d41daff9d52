using AsyncFunctions.Benchmarks.Measuring;
using Hangfire.States;
using Hangfire.Storage;

namespace AsyncFunctions.Benchmarks.Raw;

/// <summary>
/// Records when a raw job's final state is applied: the same point in Hangfire's state change
/// where our state filter records a result row.
/// </summary>
public sealed class CompletionStateFilter(CompletionTracker tracker) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.NewState)
        {
            case SucceededState:
                tracker.Record(context.BackgroundJob.Id, succeeded: true);
                break;
            case FailedState failed:
                tracker.Record(context.BackgroundJob.Id, succeeded: false, error: failed.Exception.Message);
                break;
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
