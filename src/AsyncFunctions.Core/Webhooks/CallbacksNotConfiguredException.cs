namespace AsyncFunctions.Webhooks;

/// <summary>Thrown when an execution would have a callback but the server has no webhook secret to sign it with.</summary>
public sealed class CallbacksNotConfiguredException : Exception
{
    public CallbacksNotConfiguredException(string function)
        : base($"The execution of '{function}' names a callback URL, but this server has no webhook secret: an administrator sets AsyncFunctions:Webhooks:Secret.")
    {
    }

    public CallbacksNotConfiguredException()
    {
    }

    public CallbacksNotConfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
