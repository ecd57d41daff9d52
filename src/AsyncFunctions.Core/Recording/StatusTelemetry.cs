using AsyncFunctions.Executions;
using AsyncFunctions.Telemetry;

namespace AsyncFunctions.Recording;

/// <summary>Counts applied changes: finished (with the time since creation), retried attempts, suspensions.</summary>
internal sealed class StatusTelemetry : IStatusChangeObserver
{
    public int Order => StatusChangeOrder.Telemetry;

    public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
    {
        if (!change.Applied)
        {
            return ValueTask.CompletedTask;
        }

        var function = change.Change.Function;
        if (change.Status.IsTerminal())
        {
            ExecutionTelemetry.RecordFinished(function, change.Status, change.Change.At - change.Origin.CreatedAt);
        }
        else if (change.Status == ExecutionStatus.Scheduled && change.Change.Error is not null)
        {
            // Only a retry is scheduled with the error of the attempt that failed.
            ExecutionTelemetry.Retried.Add(1, ExecutionTelemetry.Function(function));
        }
        else if (change.Status == ExecutionStatus.Awaiting)
        {
            ExecutionTelemetry.Suspended.Add(1, ExecutionTelemetry.Function(function));
        }

        return ValueTask.CompletedTask;
    }
}
