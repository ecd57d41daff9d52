using AsyncFunctions.Awaiting;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>
/// Sits in front of the awaiter as the host's <see cref="ICompletionPublisher"/>. The state filter
/// publishes a final state only after its write to the results table returned, so the moment
/// recorded here is the moment the result row became visible.
/// </summary>
public sealed class RecordingCompletionPublisher(ExecutionAwaiter awaiter, CompletionTracker tracker) : ICompletionPublisher
{
    public void Publish(ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsTerminal)
        {
            tracker.Record(result.Id, result.Status == ExecutionStatus.Succeeded, result.Output, result.Error?.Message);
        }

        awaiter.Publish(result);
    }

    public void Signal(IEnumerable<string> ids) => awaiter.Signal(ids);
}
