namespace AsyncFunctions.Executions;

/// <summary>
/// Cancels and requeues executions through the job system, so the job system's own view (the
/// dashboard) and the results table agree. The Hangfire layer implements it.
/// </summary>
public interface IExecutionControl
{
    /// <summary>Cancels an execution that is not finished: its job is deleted, its record becomes <see cref="ExecutionStatus.Cancelled"/>.</summary>
    Task<ControlOutcome> CancelAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Runs a failed or cancelled execution again under its own id, its attempts going on.</summary>
    Task<ControlOutcome> RequeueAsync(string id, CancellationToken cancellationToken = default);
}
