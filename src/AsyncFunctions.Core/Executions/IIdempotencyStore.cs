namespace AsyncFunctions.Executions;

/// <summary>Idempotency keys of starts: one claim per key across nodes.</summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Stores <paramref name="start"/> under its key unless the key is stored already and was
    /// stored at or after <paramref name="expiredBefore"/> (an older one is replaced). Atomic
    /// across nodes: of concurrent calls with one key exactly one gets <see cref="IdempotencyClaim.Claimed"/>.
    /// Returns the stored start.
    /// </summary>
    Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotentStart start, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken = default);

    /// <summary>Records the execution the claimed key started.</summary>
    Task SetIdempotencyExecutionAsync(string callerKey, string key, string executionId, CancellationToken cancellationToken = default);

    /// <summary>Drops a claimed key whose start failed before it created an execution, so the key may be used again.</summary>
    Task ReleaseIdempotencyKeyAsync(string callerKey, string key, CancellationToken cancellationToken = default);

    /// <summary>Drops idempotency keys stored before <paramref name="createdBefore"/>; returns how many.</summary>
    Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default);
}
