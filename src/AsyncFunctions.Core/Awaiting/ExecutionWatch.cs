namespace AsyncFunctions.Awaiting;

/// <summary>
/// One open watch of <see cref="ExecutionChangeFeed"/>: collects the ids that changed until its
/// owner takes them. It holds no thread: its owner waits asynchronously, with a timeout.
/// </summary>
public sealed class ExecutionWatch : IDisposable
{
    private readonly ExecutionChangeFeed _feed;
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    // At most one pending release: the flag says whether the semaphore holds it.
    private readonly SemaphoreSlim _signal = new(0, 1);
    private bool _signalled;
    private bool _disposed;

    internal ExecutionWatch(ExecutionChangeFeed feed, IReadOnlyList<string> ids)
    {
        _feed = feed;
        Ids = ids;
    }

    public IReadOnlyList<string> Ids { get; }

    /// <summary>
    /// The ids that changed since the last call, once at least one did or <paramref name="timeout"/>
    /// passed on <paramref name="time"/> (then possibly none).
    /// </summary>
    public async Task<IReadOnlyCollection<string>> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (timeout > TimeSpan.Zero)
        {
            using var elapsed = new CancellationTokenSource(timeout, time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(elapsed.Token, cancellationToken);
            try
            {
                await _signal.WaitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The timeout: whatever changed meanwhile (nothing, or a change racing the timer) is taken below.
            }
        }

        lock (_gate)
        {
            if (_changed.Count == 0)
            {
                return [];
            }

            var taken = _changed.ToArray();
            _changed.Clear();
            if (_signalled && _signal.CurrentCount > 0)
            {
                // The changes are taken now; the pending release would only wake the next wait for nothing.
                _signal.Wait(0, CancellationToken.None);
            }

            _signalled = false;
            return taken;
        }
    }

    internal void Notify(string id)
    {
        lock (_gate)
        {
            if (_disposed || !_changed.Add(id) || _signalled)
            {
                return;
            }

            _signalled = true;
            _signal.Release();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _feed.Remove(this);
        _signal.Dispose();
    }
}
