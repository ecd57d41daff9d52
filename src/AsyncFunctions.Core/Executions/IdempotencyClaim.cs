namespace AsyncFunctions.Executions;

/// <summary>The stored start of an idempotency key, and whether this call stored it.</summary>
/// <param name="Claimed">True when this call inserted the key and must start the execution.</param>
/// <param name="ExecutionId">The first start's execution; null while it is being created.</param>
public sealed record IdempotencyClaim(bool Claimed, string Function, string RequestHash, string? ExecutionId);
