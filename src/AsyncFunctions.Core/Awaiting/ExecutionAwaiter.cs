using System.Collections.Concurrent;
using AsyncFunctions.Executions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Awaiting;

/// <summary>
/// Waits for executions by listening to state transitions. Transitions made in this process
/// (<see cref="Publish"/>) complete waiters at once. Executions finished elsewhere are found by
/// one node-wide poll of the results table: one batched query per round for every id any local
/// waiter needs, at an interval that starts short and doubles while nothing changes.
/// </summary>
public sealed partial class ExecutionAwaiter : IExecutionAwaiter, ICompletionPublisher, IDisposable
{
    private readonly IExecutionStore _store;
    private readonly AwaitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecutionAwaiter> _logger;
    private readonly WaiterRegistry _waiters = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ConcurrentQueue<string> _signalled = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _loopGate = new();
    private Task? _pollLoop;

    public ExecutionAwaiter(IExecutionStore store, IOptions<AwaitOptions> options, TimeProvider time, ILogger<ExecutionAwaiter> logger)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async Task<AwaitOutcome> AwaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Validate(ids, timeout);
        var distinct = ids.Distinct(StringComparer.Ordinal).ToArray();

        // Register before the first read, so a transition between the read and the wait is not missed.
        var waits = distinct.Select(id => _waiters.Register(id)).ToArray();
        try
        {
            var current = await ReadAsync(distinct, cancellationToken).ConfigureAwait(false);
            var unknown = distinct.Where(id => !current.ContainsKey(id)).ToArray();
            if (unknown.Length > 0)
            {
                throw new UnknownExecutionsException(unknown);
            }

            foreach (var wait in waits)
            {
                if (current[wait.Id].IsTerminal)
                {
                    wait.TrySetResult(current[wait.Id]);
                }
            }

            if (waits.Any(w => !w.Task.IsCompleted))
            {
                EnsurePolling();
            }

            var completed = await WaitAllAsync(waits, timeout, cancellationToken).ConfigureAwait(false);
            if (!completed)
            {
                var pending = waits.Where(w => !w.Task.IsCompleted).Select(w => w.Id).ToArray();
                foreach (var (id, result) in await ReadAsync(pending, cancellationToken).ConfigureAwait(false))
                {
                    current[id] = result;
                }
            }

            var byId = waits.ToDictionary(
                w => w.Id,
                w => w.Task.IsCompletedSuccessfully ? w.Task.Result : current[w.Id],
                StringComparer.Ordinal);
            return new AwaitOutcome(completed || byId.Values.All(r => r.IsTerminal), ids.Select(id => byId[id]).ToArray());
        }
        finally
        {
            foreach (var wait in waits)
            {
                _waiters.Unregister(wait);
            }
        }
    }

    public void Publish(ExecutionResult result)
    {
        if (result.IsTerminal)
        {
            _waiters.Complete(result);
        }
    }

    /// <summary>
    /// Wakes the poll for <paramref name="ids"/>, finished elsewhere (another node's notification),
    /// which then reads those ids alone. An id whose result this process already published (its
    /// own worker finished it) costs nothing: no read of the results table.
    /// </summary>
    public void Signal(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var any = false;
        foreach (var id in ids)
        {
            if (_waiters.IsWaitingFor(id))
            {
                _signalled.Enqueue(id);
                any = true;
            }
        }

        if (any)
        {
            _wake.Release();
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _wake.Release();
    }

    private void Validate(IReadOnlyList<string> ids, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0 || ids.Count > _options.MaxIds)
        {
            throw new ArgumentException($"ids must name 1 to {_options.MaxIds} executions; it names {ids.Count}.", nameof(ids));
        }

        for (var i = 0; i < ids.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(ids[i]))
            {
                throw new ArgumentException($"ids[{i}] is empty.", nameof(ids));
            }
        }

        if (timeout < TimeSpan.Zero || timeout > _options.MaxTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, $"The timeout must be between 0 and {_options.MaxTimeout.TotalSeconds} seconds.");
        }
    }

    private async Task<bool> WaitAllAsync(WaiterRegistry.Waiter[] waits, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var all = Task.WhenAll(waits.Select(w => w.Task));
        if (all.IsCompleted)
        {
            return true;
        }

        try
        {
            await all.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<Dictionary<string, ExecutionResult>> ReadAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var results = new Dictionary<string, ExecutionResult>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(Math.Max(1, _options.PollBatchSize)))
        {
            foreach (var (id, result) in await _store.GetResultsAsync(chunk, cancellationToken).ConfigureAwait(false))
            {
                results[id] = result;
            }
        }

        return results;
    }

    private void EnsurePolling()
    {
        lock (_loopGate)
        {
            if (_pollLoop is null || _pollLoop.IsCompleted)
            {
                _pollLoop = Task.Run(PollAsync);
            }
        }
    }

    private async Task PollAsync()
    {
        var interval = _options.PollMinInterval;
        var stopping = _disposed.Token;
        var lastFullRead = _time.GetTimestamp();
        while (!stopping.IsCancellationRequested)
        {
            var ids = _waiters.Snapshot();
            if (ids.Count == 0)
            {
                lock (_loopGate)
                {
                    if (_waiters.Snapshot().Count == 0)
                    {
                        _pollLoop = null;
                        return;
                    }
                }

                continue;
            }

            try
            {
                var signalled = await WaitForSignalAsync(interval, stopping).ConfigureAwait(false);
                // Woken by notifications: read the notified ids that still wait. When the interval
                // passed without one, or the longest interval since the last full read (a busy node
                // is woken before any interval ends, and a notification may have been missed),
                // read every waited id.
                var full = !signalled || _time.GetElapsedTime(lastFullRead) >= _options.PollMaxInterval;
                var due = full ? _waiters.Snapshot() : DrainSignalled();
                if (full)
                {
                    lastFullRead = _time.GetTimestamp();
                    _signalled.Clear();
                }

                var found = 0;
                foreach (var result in (await ReadAsync(due, stopping).ConfigureAwait(false)).Values)
                {
                    if (result.IsTerminal)
                    {
                        found++;
                        Publish(result);
                    }
                }

                interval = found > 0 || signalled
                    ? _options.PollMinInterval
                    : TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, _options.PollMaxInterval.Ticks));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The poll must survive a database hiccup; waiters keep their own timeouts.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPollFailed(ex);
                interval = _options.PollMaxInterval;
            }
        }
    }

    private List<string> DrainSignalled()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (_signalled.TryDequeue(out var id))
        {
            if (_waiters.IsWaitingFor(id))
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }

    /// <summary>Waits for <see cref="Signal"/> or for <paramref name="interval"/> to pass on the awaiter's clock; true when signalled.</summary>
    private async Task<bool> WaitForSignalAsync(TimeSpan interval, CancellationToken stopping)
    {
        using var elapsed = new CancellationTokenSource(interval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(elapsed.Token, stopping);
        try
        {
            await _wake.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Polling the results table for awaited executions failed; trying again.")]
    private partial void LogPollFailed(Exception exception);
}
