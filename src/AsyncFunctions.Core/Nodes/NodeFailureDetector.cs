namespace AsyncFunctions.Nodes;

/// <summary>
/// Decides which nodes are dead, by the observer's own monotonic clock: a node is silent when its
/// beat count has not changed for the timeout since this observer first saw the count. The
/// timestamps the nodes write are never compared with this node's clock, so clock skew between
/// nodes neither kills a living node nor keeps a dead one alive; an observer that just started
/// waits a full timeout before it declares anyone dead.
/// </summary>
public sealed class NodeFailureDetector(TimeProvider time, TimeSpan timeout)
{
    private readonly Dictionary<string, (long Beats, long ChangedAt)> _seen = new(StringComparer.Ordinal);

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>
    /// Takes in one read of the nodes table and returns the nodes other than
    /// <paramref name="selfId"/> that have been silent for the timeout and are not taken over yet.
    /// </summary>
    public IReadOnlyList<SilentNode> Observe(IReadOnlyCollection<NodeRecord> nodes, string selfId)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var now = time.GetTimestamp();
        var silent = new List<SilentNode>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            present.Add(node.NodeId);
            if (!_seen.TryGetValue(node.NodeId, out var seen) || seen.Beats != node.Beats)
            {
                _seen[node.NodeId] = (node.Beats, now);
                continue;
            }

            var silentFor = time.GetElapsedTime(seen.ChangedAt, now);
            if (silentFor >= Timeout && !node.IsTakenOver && !string.Equals(node.NodeId, selfId, StringComparison.Ordinal))
            {
                silent.Add(new SilentNode(node, silentFor));
            }
        }

        foreach (var gone in _seen.Keys.Where(id => !present.Contains(id)).ToList())
        {
            _seen.Remove(gone);
        }

        return silent;
    }
}
