using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Core.Tests;

/// <summary>A results table in a dictionary, to test the awaiter apart from any database.</summary>
internal sealed class InMemoryExecutionStore : IExecutionStore
{
    private readonly ConcurrentDictionary<string, ExecutionRecord> _rows = new();
    private int _resultQueries;

    public int ResultQueries => Volatile.Read(ref _resultQueries);

    /// <summary>How many ids each results query asked for, in order.</summary>
    public ConcurrentQueue<int> QuerySizes { get; } = new();

    public void Put(string id, ExecutionStatus status, JsonNode? output = null, ExecutionError? error = null) =>
        _rows[id] = new ExecutionRecord { Id = id, Function = "f", Status = status, Output = output, Error = error, Input = new JsonObject() };

    public Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default)
    {
        _rows.TryAdd(execution.Id, new ExecutionRecord { Id = execution.Id, Function = execution.Function, Status = execution.Status, Input = execution.Input });
        return Task.CompletedTask;
    }

    public Task<bool> TryCountTreeStartAsync(string rootId, int max, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The awaiter tests start no executions.");

    public Task<bool> ApplyAsync(StatusChange change, CancellationToken cancellationToken = default)
    {
        Put(change.Id, change.Status, change.Output, change.Error);
        return Task.FromResult(true);
    }

    public Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.GetValueOrDefault(id));

    public Task<IReadOnlyDictionary<string, ExecutionResult>> GetResultsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _resultQueries);
        QuerySizes.Enqueue(ids.Count);
        IReadOnlyDictionary<string, ExecutionResult> found = ids
            .Where(_rows.ContainsKey)
            .Distinct()
            .ToDictionary(id => id, id => _rows[id].ToResult());
        return Task.FromResult(found);
    }

    public Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The awaiter tests do not use leases.");

    public Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The awaiter tests do not use leases.");

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
