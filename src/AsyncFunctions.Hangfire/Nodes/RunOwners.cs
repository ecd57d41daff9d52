using System.Collections.Concurrent;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>
/// The worker id of each job this node's workers moved to Processing, from the state change to
/// the start of the run, which takes it: a run knows which Processing state is its own.
/// </summary>
public sealed class RunOwners
{
    private readonly ConcurrentDictionary<string, string> _workers = new(StringComparer.Ordinal);

    public void Started(string jobId, string workerId) => _workers[jobId] = workerId;

    public string? Take(string jobId) => _workers.TryRemove(jobId, out var worker) ? worker : null;
}
