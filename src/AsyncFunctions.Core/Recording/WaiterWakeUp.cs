using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Recording;

/// <summary>Hands a finished execution's result to this process's waiters (<see cref="ICompletionPublisher"/>).</summary>
internal sealed class WaiterWakeUp(ICompletionPublisher completions) : IStatusChangeObserver
{
    public int Order => StatusChangeOrder.Waiters;

    public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
    {
        if (change.Finished)
        {
            completions.Publish(new ExecutionResult(change.Id, change.Status, change.Change.Output, change.Change.Error));
        }

        return ValueTask.CompletedTask;
    }
}
