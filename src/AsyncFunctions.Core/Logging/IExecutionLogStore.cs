namespace AsyncFunctions.Logging;

/// <summary>Keeps the messages functions log, with their execution.</summary>
public interface IExecutionLogStore
{
    Task AppendAsync(string executionId, IReadOnlyList<ExecutionLogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>The execution's messages in the order they were logged (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<ExecutionLogEntry>> ListAsync(string executionId, int limit = 1000, CancellationToken cancellationToken = default);
}
