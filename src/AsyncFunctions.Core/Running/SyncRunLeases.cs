using System.Collections.Concurrent;

namespace AsyncFunctions.Running;

/// <summary>The sync runs in flight on this node, whose leases the node keeps renewing.</summary>
public sealed class SyncRunLeases
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    public void Add(string id) => _inFlight.TryAdd(id, 0);

    public void Remove(string id) => _inFlight.TryRemove(id, out _);

    public bool Contains(string id) => _inFlight.ContainsKey(id);

    public IReadOnlyList<string> Snapshot() => _inFlight.Keys.ToList();
}
