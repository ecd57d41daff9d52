namespace AsyncFunctions.Executions;

/// <summary>A start that carries an <c>Idempotency-Key</c>: the key, scoped to the API key that sent it, and what it asked for.</summary>
/// <param name="CallerKey">The name of the API key that sent it ("" when none).</param>
/// <param name="Key">The client's Idempotency-Key.</param>
/// <param name="RequestHash">A digest of the function name and the start body: the same key with another request is refused.</param>
public sealed record IdempotentStart(string CallerKey, string Key, string Function, string RequestHash);
