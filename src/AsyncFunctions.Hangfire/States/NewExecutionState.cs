using AsyncFunctions.Executions;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// The state a job is created in: Hangfire's Enqueued, carrying the row of the new execution.
/// Hangfire hands this very object to the state filter, which inserts the row inside the job's
/// creation, before any worker can fetch the job. The row is not part of the state's serialized
/// data, so Hangfire's storage keeps only what an ordinary Enqueued state keeps.
/// </summary>
public sealed class NewExecutionState(NewExecution row) : EnqueuedState, INewExecutionState
{
    /// <summary>The row to insert; its <see cref="NewExecution.Id"/> is replaced by the job id.</summary>
    public NewExecution Row { get; } = row;

    /// <summary>The job id, set by the state filter once the row is in the results table under it.</summary>
    public string? WrittenId { get; set; }

    public bool WritesOnCommit { get; set; }

    /// <summary>The admission ticket of a limited function's start (its keys, evaluated at the start); null without limits.</summary>
    public AsyncFunctions.FlowControl.AdmissionTicket? Ticket { get; init; }

    /// <summary>Set by admission when the job is created in another state (<c>Waiting</c>, or <c>Scheduled</c> by its rate limit).</summary>
    public ExecutionStatus? CreatedAs { get; set; }
}
