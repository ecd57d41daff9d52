using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>A start its rate limit moved to a later window: Hangfire's Scheduled, queued by Hangfire's scheduler when the window opens.</summary>
public sealed class RateDelayedState(DateTime enqueueAt) : ScheduledState(enqueueAt);

/// <summary>A new execution's start that its rate limit moved to a later window at its very creation: created Scheduled.</summary>
public sealed class NewRateDelayedExecutionState(INewExecutionState created, DateTime enqueueAt) : ScheduledState(enqueueAt), INewExecutionState
{
    public AsyncFunctions.Executions.NewExecution Row { get; } = created.Row with { Status = AsyncFunctions.Executions.ExecutionStatus.Scheduled };

    /// <summary>Written through to the state the job was to be created in, which its starter reads.</summary>
    public string? WrittenId { get => created.WrittenId; set => created.WrittenId = value; }

    public bool WritesOnCommit { get => created.WritesOnCommit; set => created.WritesOnCommit = value; }
}
