namespace AsyncFunctions.Schedules;

/// <summary>
/// The request conflicts with the schedule's state: it is declared in configuration (read-only
/// through the API), it belongs to another key, or its previous execution is still running under
/// overlap "skip". <see cref="Code"/> says which.
/// </summary>
public sealed class ScheduleConflictException : Exception
{
    public const string DeclaredCode = "schedule.declared";

    public const string OverlapCode = "schedule.overlap";

    public const string OwnerCode = "schedule.owner";

    public ScheduleConflictException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public ScheduleConflictException()
        : this("schedule.conflict", "The schedule cannot be changed now.")
    {
    }

    public ScheduleConflictException(string message)
        : this("schedule.conflict", message)
    {
    }

    public ScheduleConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "schedule.conflict";
    }

    public string Code { get; }
}
