namespace AsyncFunctions.Executions;

/// <summary>An idempotency key sent again with another function or body (HTTP 422).</summary>
public sealed class IdempotencyKeyReusedException : Exception
{
    public IdempotencyKeyReusedException(string key)
        : base($"The key '{key}' was used with another function or body; send a new key for a new request.")
    {
    }

    public IdempotencyKeyReusedException()
        : base("The key was used with another function or body; send a new key for a new request.")
    {
    }

    public IdempotencyKeyReusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
