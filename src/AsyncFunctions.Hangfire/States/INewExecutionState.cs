using AsyncFunctions.Executions;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A state a job is created in that carries the row of its new execution, for the state filter to
/// insert inside the job's creation: <see cref="NewExecutionState"/> (queued now) or
/// <see cref="NewScheduledExecutionState"/> (a delayed start).
/// </summary>
public interface INewExecutionState
{
    /// <summary>The row to insert; its <see cref="NewExecution.Id"/> is replaced by the job id.</summary>
    NewExecution Row { get; }

    /// <summary>The job id, set by the state filter once the row is in the results table under it.</summary>
    string? WrittenId { get; set; }

    /// <summary>
    /// Set by the state filter when the row commits with Hangfire's own transaction, which then
    /// sets <see cref="WrittenId"/> only after that commit: a failure without it may still have committed.
    /// </summary>
    bool WritesOnCommit { get; set; }
}
