using AsyncFunctions.Awaiting;

namespace AsyncFunctions.Recording;

/// <summary>Tells the open event streams of this process that an execution changed (<see cref="ExecutionChangeFeed"/>); costs nothing while none is open.</summary>
internal sealed class EventStreamNotice(ExecutionChangeFeed changes) : IStatusChangeObserver
{
    public int Order => StatusChangeOrder.EventStreams;

    public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
    {
        if (change.Applied)
        {
            changes.Changed(change.Id);
        }

        return ValueTask.CompletedTask;
    }
}
