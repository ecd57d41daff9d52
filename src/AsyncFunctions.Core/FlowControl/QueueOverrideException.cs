namespace AsyncFunctions.FlowControl;

/// <summary>A start named a queue it may not use: overrides are off, or the name is not a queue name.</summary>
public sealed class QueueOverrideException : Exception
{
    /// <summary>The start's field the problem is about.</summary>
    public const string Field = "queue";

    public QueueOverrideException(string problem)
        : base($"{Field}: {problem}")
    {
        Problem = problem;
    }

    public QueueOverrideException()
        : this("the queue may not be chosen by the start")
    {
    }

    public QueueOverrideException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = message;
    }

    /// <summary>What is wrong, without the field's name.</summary>
    public string Problem { get; } = "";
}
