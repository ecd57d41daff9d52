using System.Text.Json.Nodes;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>An error a step raises that try/catch may catch; uncaught it fails the execution with its code.</summary>
public sealed class StackErrorException : FunctionException
{
    public StackErrorException(StackError error, Exception? innerException = null)
        : base(error.Code, error.Message, error.Data, innerException)
    {
        Error = error;
    }

    public StackErrorException(string code, string message, JsonNode? data = null)
        : this(new StackError(code, message, data))
    {
    }

    public StackErrorException()
        : this(StackErrorCodes.Thrown, "The stack raised an error.")
    {
    }

    public StackErrorException(string message)
        : this(StackErrorCodes.Thrown, message)
    {
    }

    public StackErrorException(string message, Exception innerException)
        : this(new StackError(StackErrorCodes.Thrown, message), innerException)
    {
    }

    public StackError Error { get; }
}
