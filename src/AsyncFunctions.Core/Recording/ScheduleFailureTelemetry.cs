using AsyncFunctions.Executions;
using AsyncFunctions.Telemetry;

namespace AsyncFunctions.Recording;

/// <summary>Counts a failed occurrence of a schedule when its execution's failure is written.</summary>
internal sealed class ScheduleFailureTelemetry : IStatusChangeObserver
{
    public int Order => StatusChangeOrder.Telemetry;

    public ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
    {
        if (change.Finished && change.Status == ExecutionStatus.Failed && change.Origin.Schedule is { } schedule)
        {
            ScheduleTelemetry.Failed.Add(1, ScheduleTelemetry.Schedule(schedule));
        }

        return ValueTask.CompletedTask;
    }
}
