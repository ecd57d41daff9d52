using AsyncFunctions.Executions;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// The state a delayed start's job is created in: Hangfire's Scheduled, so Hangfire's own scheduler
/// queues it at <paramref name="enqueueAt"/> on whichever node is up, carrying the row of the new
/// execution (status <see cref="ExecutionStatus.Scheduled"/>) as <see cref="NewExecutionState"/> does.
/// </summary>
public sealed class NewScheduledExecutionState(NewExecution row, DateTime enqueueAt) : ScheduledState(enqueueAt), INewExecutionState
{
    public NewExecution Row { get; } = row;

    public string? WrittenId { get; set; }

    public bool WritesOnCommit { get; set; }
}
