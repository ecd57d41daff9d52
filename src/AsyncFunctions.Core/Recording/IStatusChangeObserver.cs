namespace AsyncFunctions.Recording;

/// <summary>
/// A reaction to status changes: "an execution reached status X". Register it in DI as
/// <c>services.AddSingleton&lt;IStatusChangeObserver, MyObserver&gt;()</c>; the
/// <see cref="StatusChangeRecorder"/> calls every registered observer after each write, whatever
/// made the change (a Hangfire job, a sync run, a lost node, a restart), in ascending
/// <see cref="Order"/>.
/// <para>
/// Rules for an observer: it runs inside the change's source, often inside a Hangfire state
/// change that a worker thread waits for, so it must be quick; hand slow work to a queue of your
/// own (see the resume requests). It may be called again for the same change (Hangfire repeats a
/// state change after a crash), so its effect must be idempotent or tolerate a repeat. Look at
/// <see cref="RecordedStatusChange.Applied"/>: most reactions are only for changes the store applied.
/// An exception is passed on to the source after the other observers ran.
/// </para>
/// </summary>
public interface IStatusChangeObserver
{
    /// <summary>Where this observer runs among the others; see <see cref="StatusChangeOrder"/> for the built-in ones.</summary>
    int Order { get; }

    ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken);
}
