using System.Collections.Concurrent;

namespace AsyncFunctions.Hangfire.Control;

/// <summary>
/// The executions this node's workers run now, each with a way to stop it. A cancel made on this
/// node stops the run at once; a cancel made on another node reaches the run through Hangfire's
/// own check of deleted jobs (<c>AsyncFunctions:Server:CancellationCheckInterval</c>).
/// </summary>
public sealed class RunningExecutions
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _runs = new(StringComparer.Ordinal);

    /// <summary>
    /// Called when this node's worker moves the job to Processing, before the job's code runs: a
    /// cancel that comes between that state change and <see cref="Register"/> is kept for the run.
    /// </summary>
    public void Prepare(string id) => _runs[id] = new CancellationTokenSource();

    /// <summary>Registers a run of <paramref name="id"/>; the token of the returned source fires when the job's token does or the run is cancelled here.</summary>
    public CancellationTokenSource Register(string id, CancellationToken jobToken)
    {
        var source = _runs.TryGetValue(id, out var prepared)
            ? CancellationTokenSource.CreateLinkedTokenSource(jobToken, prepared.Token)
            : CancellationTokenSource.CreateLinkedTokenSource(jobToken);
        _runs[id] = source;
        return source;
    }

    /// <summary>Forgets the run registered with <paramref name="source"/> (a later run of the same id keeps its own).</summary>
    public void Unregister(string id, CancellationTokenSource source) =>
        _runs.TryRemove(new KeyValuePair<string, CancellationTokenSource>(id, source));

    /// <summary>Stops the run of <paramref name="id"/> if this node runs it.</summary>
    public void Cancel(string id)
    {
        if (_runs.TryGetValue(id, out var source))
        {
            try
            {
                // Callbacks run on the thread pool, not inside the state change that asked for it.
                _ = source.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The run ended meanwhile.
            }
        }
    }
}
