namespace AsyncFunctions.FlowControl;

/// <summary>A limit's key could not be computed for a start: the start is refused (a 400 over HTTP).</summary>
public sealed class FlowKeyException : Exception
{
    public FlowKeyException(string function, string path, string problem, Exception? inner = null)
        : base($"Function '{function}': {path} {problem}.", inner)
    {
        Function = function;
        Path = path;
    }

    public FlowKeyException()
    {
        Function = "";
        Path = "";
    }

    public FlowKeyException(string message)
        : base(message)
    {
        Function = "";
        Path = "";
    }

    public FlowKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Function = "";
        Path = "";
    }

    public string Function { get; }

    /// <summary>The field of the function's flow declaration, e.g. <c>concurrency[0].key</c>.</summary>
    public string Path { get; }
}
