using AsyncFunctions.Executions;
using Hangfire.Common;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A new execution's job that found its concurrency limit full at its very creation: it is created
/// <see cref="WaitingState.StateName"/> and its row written with the <c>Waiting</c> status.
/// </summary>
public sealed class NewWaitingExecutionState(INewExecutionState created, string waitingFor, DateTimeOffset since) : IState, INewExecutionState
{
    public NewExecution Row { get; } = created.Row with { Status = ExecutionStatus.Waiting };

    /// <summary>Written through to the state the job was to be created in, which its starter reads.</summary>
    public string? WrittenId { get => created.WrittenId; set => created.WrittenId = value; }

    public bool WritesOnCommit { get => created.WritesOnCommit; set => created.WritesOnCommit = value; }

    public string WaitingFor { get; } = waitingFor;

    public string Name => WaitingState.StateName;

    public string? Reason { get; set; }

    public bool IsFinal => false;

    public bool IgnoreJobLoadException => false;

    public Dictionary<string, string> SerializeData() => new()
    {
        ["WaitingFor"] = WaitingFor,
        ["Since"] = JobHelper.SerializeDateTime(since.UtcDateTime),
    };
}
