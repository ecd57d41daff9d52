namespace AsyncFunctions.Running;

/// <summary>Thrown when a request names a function that no source knows.</summary>
public sealed class UnknownFunctionException : Exception
{
    public UnknownFunctionException(string function)
        : base($"There is no function named '{function}'.")
    {
        Function = function;
    }

    public UnknownFunctionException()
        : this("")
    {
    }

    public UnknownFunctionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Function = "";
    }

    public string Function { get; }
}
