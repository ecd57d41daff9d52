namespace AsyncFunctions.Schedules;

/// <summary>What an occurrence does while the schedule's previous execution has not finished.</summary>
public enum ScheduleOverlap
{
    /// <summary>The occurrence is skipped and counted; the previous execution runs on alone.</summary>
    Skip,

    /// <summary>The occurrence starts anyway; both run.</summary>
    Allow,
}
