using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Recording;
using AsyncFunctions.Telemetry;

namespace AsyncFunctions.FlowControl;

/// <summary>
/// Gives an execution's concurrency slots back when it leaves the states that hold them: every
/// final status (success, failure, cancel, timeout, <c>execution.lost</c>), a retry's or a delay's
/// <c>Scheduled</c>, and <c>Awaiting</c> unless the function holds its slots while awaiting. The
/// store hands each freed slot to the oldest waiter in the same transaction; those are queued by
/// <see cref="IFlowWakeUps"/>. Only functions that declare limits (or whose ticket says so) cost
/// a database call; a slot this misses (a function whose limits were removed, a crash between the
/// write and this call) is freed by the repair sweep.
/// </summary>
public sealed class FlowSlotRelease(IFlowAdmissionStore store, IFlowWakeUps wakeUps, IFunctionCatalog catalog, TimeProvider time) : IStatusChangeObserver
{
    public int Order => StatusChangeOrder.FlowSlots;

    public async ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
    {
        var status = change.Status;
        var leaves = status.IsTerminal() || status == ExecutionStatus.Scheduled || (status == ExecutionStatus.Awaiting && !change.Origin.ResumedAtOnce);
        if (!leaves)
        {
            return;
        }

        var function = await catalog.FindAsync(change.Change.Function, cancellationToken).ConfigureAwait(false);
        if (function is not { Flow.IsLimited: true })
        {
            return;
        }

        if (status == ExecutionStatus.Awaiting && function.Flow.HoldWhileAwaiting)
        {
            return;
        }

        await ReleaseAsync(store, wakeUps, time, function.Name, change.Id, status == ExecutionStatus.Awaiting, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives back <paramref name="executionId"/>'s slots and wakes the waiters they are handed to:
    /// what a status change does here, and what a sync run whose row was never written does itself
    /// (no status change will ever be recorded for it).
    /// </summary>
    public static async Task ReleaseAsync(IFlowAdmissionStore store, IFlowWakeUps wakeUps, TimeProvider time, string function, string executionId, bool suspending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(wakeUps);
        ArgumentNullException.ThrowIfNull(time);
        var granted = await store.ReleaseAsync(function, executionId, suspending, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (granted.Count > 0)
        {
            var now = time.GetUtcNow();
            foreach (var waiter in granted)
            {
                var tags = FlowTelemetry.Tags(waiter.Function, waiter.Queue);
                FlowTelemetry.Admitted.Add(1, tags);
                FlowTelemetry.WaitTime.Record(Math.Max(0, (now - waiter.WaitingSince).TotalMilliseconds), tags);
            }

            wakeUps.Wake(granted);
        }
    }
}
