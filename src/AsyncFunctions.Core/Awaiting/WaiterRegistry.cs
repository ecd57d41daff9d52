using AsyncFunctions.Executions;

namespace AsyncFunctions.Awaiting;

/// <summary>The waiters of this process, by execution id.</summary>
internal sealed class WaiterRegistry
{
    private readonly Dictionary<string, List<Waiter>> _byId = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private volatile int _count;

    public Waiter Register(string id)
    {
        var waiter = new Waiter(id);
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var list))
            {
                _byId[id] = list = [];
            }

            list.Add(waiter);
            _count++;
        }

        return waiter;
    }

    public void Unregister(Waiter waiter)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(waiter.Id, out var list) && list.Remove(waiter))
            {
                _count--;
                if (list.Count == 0)
                {
                    _byId.Remove(waiter.Id);
                }
            }
        }
    }

    public void Complete(ExecutionResult result)
    {
        if (_count == 0)
        {
            return;
        }

        Waiter[] waiters;
        lock (_gate)
        {
            if (!_byId.TryGetValue(result.Id, out var list))
            {
                return;
            }

            waiters = list.ToArray();
        }

        foreach (var waiter in waiters)
        {
            waiter.TrySetResult(result);
        }
    }

    /// <summary>Whether a waiter for <paramref name="id"/> has no result yet (one published here has).</summary>
    public bool IsWaitingFor(string id)
    {
        if (_count == 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _byId.TryGetValue(id, out var list) && list.Exists(w => !w.Task.IsCompleted);
        }
    }

    /// <summary>The ids with at least one waiter that is not yet completed.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        if (_count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            return _byId.Where(kv => kv.Value.Exists(w => !w.Task.IsCompleted)).Select(kv => kv.Key).ToArray();
        }
    }

    internal sealed class Waiter(string id)
    {
        private readonly TaskCompletionSource<ExecutionResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Id { get; } = id;

        public Task<ExecutionResult> Task => _completion.Task;

        public void TrySetResult(ExecutionResult result) => _completion.TrySetResult(result);
    }
}
