using System.Runtime.ExceptionServices;
using AsyncFunctions.Executions;
using AsyncFunctions.Webhooks;

namespace AsyncFunctions.Recording;

/// <summary>
/// The one path of a status change, whatever makes it: a Hangfire state change (the state
/// filter), a sync run, a lease that expired, start-up recovery, a job that could not be
/// created. In this order:
/// <list type="number">
/// <item>the store write (<see cref="IExecutionRecords.ApplyAsync"/>, idempotent and monotonic);</item>
/// <item>every <see cref="IStatusChangeObserver"/> registered in DI, by ascending
/// <see cref="IStatusChangeObserver.Order"/>: the built-in ones wake local waiters, queue resumes
/// of suspended parents, queue webhook deliveries, tell open event streams, and count metrics
/// (<see cref="StatusChangeOrder"/>).</item>
/// </list>
/// Observers run even when the write was not applied (they look at
/// <see cref="RecordedStatusChange.Applied"/>), and all of them run even when one throws; the
/// first exception is then passed on, so a Hangfire state change fails and is made again.
/// </summary>
public sealed class StatusChangeRecorder
{
    private readonly IExecutionStore _store;
    private readonly ICallbackStore? _callbacks;
    private readonly IStatusChangeObserver[] _observers;

    public StatusChangeRecorder(IExecutionStore store, IEnumerable<IStatusChangeObserver> observers, ICallbackStore? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(observers);
        _store = store;
        _callbacks = callbacks;
        // A stable sort: equal orders keep their registration order.
        _observers = observers.OrderBy(o => o.Order).ToArray();
    }

    /// <summary>The observers, in the order they run.</summary>
    public IReadOnlyList<IStatusChangeObserver> Observers => _observers;

    /// <summary>
    /// Records a new execution's row and its callback URL. Idempotent: a creation made again writes
    /// the same row. Creation is no status change, so no observer is told. Without a callback URL
    /// the store's task is handed back as it is: a caller that blocks on it (the state filter) is
    /// woken by the write itself, with no continuation queued to the thread pool in between.
    /// </summary>
    public Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return execution.CallbackUrl is null
            ? _store.CreateAsync(execution, cancellationToken)
            : CreateWithCallbackAsync(execution, execution.CallbackUrl, cancellationToken);
    }

    private async Task CreateWithCallbackAsync(NewExecution execution, string url, CancellationToken cancellationToken)
    {
        await _store.CreateAsync(execution, cancellationToken).ConfigureAwait(false);
        var callbacks = _callbacks ?? throw new CallbacksNotConfiguredException(execution.Function);
        await callbacks.SaveAsync(execution.Id, url, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="change"/> and runs every observer; returns whether the store applied it.</summary>
    public async Task<bool> RecordAsync(StatusChange change, StatusChangeOrigin origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var applied = await WriteAsync(change, cancellationToken).ConfigureAwait(false);
        await ObserveAsync(new RecordedStatusChange(change, origin, applied), cancellationToken).ConfigureAwait(false);
        return applied;
    }

    /// <summary>
    /// The first half of <see cref="RecordAsync"/>, for a source that commits the write in a
    /// transaction of its own (a job's state change on PostgreSQL): the store write alone. The
    /// source must hand the outcome to <see cref="ObserveAsync"/> once the write committed.
    /// </summary>
    public Task<bool> WriteAsync(StatusChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _store.ApplyAsync(change, cancellationToken);
    }

    /// <summary>
    /// <see cref="WriteAsync"/> for an execution's first start (see
    /// <see cref="IExecutionRecords.ApplyFirstStartAsync"/>): written only while the record has never
    /// started. When it returns false nothing was written; the source then writes the change with
    /// <see cref="WriteAsync"/>. Either way it hands the outcome to <see cref="ObserveAsync"/>.
    /// </summary>
    public Task<bool> WriteFirstStartAsync(StatusChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _store.ApplyFirstStartAsync(change, cancellationToken);
    }

    /// <summary>The second half of <see cref="RecordAsync"/>: every observer, by ascending order; the first failure is thrown after all ran.</summary>
    public async Task ObserveAsync(RecordedStatusChange recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ExceptionDispatchInfo? failure = null;
        foreach (var observer in _observers)
        {
            try
            {
                await observer.OnRecordedAsync(recorded, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Every observer runs; the first failure is thrown after them.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure ??= ExceptionDispatchInfo.Capture(ex);
            }
        }

        failure?.Throw();
    }
}
