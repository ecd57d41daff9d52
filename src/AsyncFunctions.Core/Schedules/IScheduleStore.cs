namespace AsyncFunctions.Schedules;

/// <summary>The schedules, kept in the results database so they outlive the job storage.</summary>
public interface IScheduleStore
{
    /// <summary>
    /// Creates the schedule or replaces its definition (function, input, cron, time zone, enabled,
    /// overlap, callback, declared, updated time), keeping its owner, creation time and run history.
    /// Returns true when it created it.
    /// </summary>
    Task<bool> SaveAsync(Schedule schedule, CancellationToken cancellationToken = default);

    Task<Schedule?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every schedule, by name.</summary>
    Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns whether it deleted one.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Pauses or resumes it; returns whether the schedule exists.</summary>
    Task<bool> SetEnabledAsync(string name, bool enabled, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the execution an occurrence started, unless a later occurrence is recorded already
    /// (occurrences of an "allow" schedule may be recorded out of order).
    /// </summary>
    Task RecordOccurrenceAsync(string name, string executionId, DateTimeOffset scheduledFor, CancellationToken cancellationToken = default);

    /// <summary>Counts one skipped occurrence.</summary>
    Task CountSkippedAsync(string name, CancellationToken cancellationToken = default);
}
