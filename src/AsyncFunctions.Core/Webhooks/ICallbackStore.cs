namespace AsyncFunctions.Webhooks;

/// <summary>
/// The callbacks of executions and their delivery attempts, beside the results table. Only
/// executions started with a callback URL have a row: the others cost nothing here.
/// </summary>
public interface ICallbackStore
{
    /// <summary>Records the callback URL of a new execution; a repeat of the same call changes nothing.</summary>
    Task SaveAsync(string executionId, string url, CancellationToken cancellationToken = default);

    /// <summary>The execution's callback with its deliveries in order; null when it has none.</summary>
    Task<ExecutionCallback?> GetAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records one delivery attempt and the callback's state after it. A repeat of an attempt
    /// already recorded (same message and attempt number) adds nothing.
    /// </summary>
    Task RecordAsync(string executionId, CallbackDelivery delivery, CallbackState state, CancellationToken cancellationToken = default);
}
