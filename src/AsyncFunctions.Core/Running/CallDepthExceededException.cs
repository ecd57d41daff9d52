namespace AsyncFunctions.Running;

/// <summary>Thrown when nested calls (sync or async) go deeper than <see cref="ExecutionOptions.MaxCallDepth"/>.</summary>
public sealed class CallDepthExceededException : Exception
{
    public CallDepthExceededException(int depth, int max)
        : base($"Call depth {depth} exceeds the limit of {max} nested calls (AsyncFunctions:Execution:MaxCallDepth).")
    {
    }

    public CallDepthExceededException()
    {
    }

    public CallDepthExceededException(string message)
        : base(message)
    {
    }

    public CallDepthExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
