using System.Text.Json.Nodes;

namespace AsyncFunctions.Functions;

/// <summary>
/// A failure a function reports on purpose, with a machine-readable code. Any other exception
/// is recorded with its type and message and the code "function.error".
/// </summary>
public class FunctionException : Exception
{
    public FunctionException(string code, string message, JsonNode? data = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Details = data;
    }

    public FunctionException()
        : this("function.error", "The function failed.")
    {
    }

    public FunctionException(string message)
        : this("function.error", message)
    {
    }

    public FunctionException(string message, Exception innerException)
        : this("function.error", message, null, innerException)
    {
    }

    public string Code { get; }

    /// <summary>Optional JSON data that explains the failure.</summary>
    public JsonNode? Details { get; }
}
