using System.Collections.Concurrent;
using AsyncFunctions.Logging;

namespace AsyncFunctions.FunctionStacks.Tests.Support;

internal sealed class InMemoryLogStore : IExecutionLogStore
{
    private readonly ConcurrentDictionary<string, List<ExecutionLogEntry>> _entries = new();

    public Task AppendAsync(string executionId, IReadOnlyList<ExecutionLogEntry> entries, CancellationToken cancellationToken = default)
    {
        var list = _entries.GetOrAdd(executionId, _ => []);
        lock (list)
        {
            list.AddRange(entries);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ExecutionLogEntry>> ListAsync(string executionId, int limit = 1000, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ExecutionLogEntry>>(_entries.TryGetValue(executionId, out var list) ? list.Take(limit).ToList() : []);
}
