namespace AsyncFunctions.Awaiting;

/// <summary>Waits for executions to finish.</summary>
public interface IExecutionAwaiter
{
    /// <summary>
    /// Returns once every id is terminal or <paramref name="timeout"/> passes. Throws
    /// <see cref="UnknownExecutionsException"/> naming ids no execution has, and
    /// <see cref="ArgumentException"/> for an empty list, too many ids or a bad timeout.
    /// </summary>
    Task<AwaitOutcome> AwaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default);
}
