namespace AsyncFunctions.FlowControl;

/// <summary>
/// A start asked for something its function's flow control does not allow: a queue the server
/// does not let starts choose, a sync run or a delayed start of a debounced function. Names the
/// start's field the problem is about (answered as 400 over HTTP).
/// </summary>
public sealed class StartRefusedException : Exception
{
    /// <summary>The start body's field that chooses the queue.</summary>
    public const string QueueField = "queue";

    public StartRefusedException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
        Problem = problem;
    }

    public StartRefusedException()
        : this("start", "the start is refused")
    {
    }

    public StartRefusedException(string message)
        : this("start", message)
    {
    }

    public StartRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "start";
        Problem = message;
    }

    public string Field { get; }

    /// <summary>What is wrong, without the field's name.</summary>
    public string Problem { get; }
}
