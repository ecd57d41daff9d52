namespace AsyncFunctions.Schedules;

/// <summary>No schedule has the name, or the caller may not see it.</summary>
public sealed class UnknownScheduleException : Exception
{
    public UnknownScheduleException(string name)
        : base($"No schedule is named '{name}'.")
    {
        Name = name;
    }

    public UnknownScheduleException()
        : this("")
    {
    }

    public UnknownScheduleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Name = "";
    }

    public string Name { get; }
}
