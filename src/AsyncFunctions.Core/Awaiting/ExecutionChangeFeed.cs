namespace AsyncFunctions.Awaiting;

/// <summary>
/// Tells open watches (the event streams of the API) that an execution's status changed, in
/// this process. Reporting a change costs one volatile read while nothing is watched, so the
/// state filters report every change without a cost per execution when no stream is open.
/// A change reported here is a hint to re-read the record; watchers also poll the results
/// table, for changes made on other nodes.
/// </summary>
public sealed class ExecutionChangeFeed
{
    private readonly Dictionary<string, List<ExecutionWatch>> _byId = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _count;

    /// <summary>How many watches are open (a stream that ended has closed its watch).</summary>
    public int WatchCount => Volatile.Read(ref _count);

    /// <summary>Starts watching <paramref name="ids"/>; dispose the watch to stop. Watch before the first read, so no change falls in between.</summary>
    public ExecutionWatch Watch(IReadOnlyCollection<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var watch = new ExecutionWatch(this, ids.Distinct(StringComparer.Ordinal).ToArray());
        lock (_gate)
        {
            foreach (var id in watch.Ids)
            {
                if (!_byId.TryGetValue(id, out var list))
                {
                    _byId[id] = list = [];
                }

                list.Add(watch);
            }

            _count++;
        }

        return watch;
    }

    /// <summary>The status of <paramref name="id"/> changed in this process.</summary>
    public void Changed(string id)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        ExecutionWatch[] watches;
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var list))
            {
                return;
            }

            watches = list.ToArray();
        }

        foreach (var watch in watches)
        {
            watch.Notify(id);
        }
    }

    /// <summary>Another node says these executions changed (see <see cref="ICompletionPublisher.Signal"/>).</summary>
    public void Changed(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }

        foreach (var id in ids)
        {
            Changed(id);
        }
    }

    internal void Remove(ExecutionWatch watch)
    {
        lock (_gate)
        {
            foreach (var id in watch.Ids)
            {
                if (_byId.TryGetValue(id, out var list) && list.Remove(watch) && list.Count == 0)
                {
                    _byId.Remove(id);
                }
            }

            _count--;
        }
    }
}
