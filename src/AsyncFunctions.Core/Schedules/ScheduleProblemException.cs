namespace AsyncFunctions.Schedules;

/// <summary>A schedule's field is not valid; <see cref="Field"/> names it (a JSON path for the input).</summary>
public sealed class ScheduleProblemException : Exception
{
    public ScheduleProblemException(string field, string message)
        : base($"{field}: {message}")
    {
        Field = field;
        Problem = message;
    }

    public ScheduleProblemException()
        : this("", "The schedule is not valid.")
    {
    }

    public ScheduleProblemException(string message)
        : this("", message)
    {
    }

    public ScheduleProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "";
        Problem = message;
    }

    public string Field { get; }

    public string Problem { get; }
}
