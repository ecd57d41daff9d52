namespace AsyncFunctions.Executions;

/// <summary>Where an execution stands. Mirrors the Hangfire state of its job.</summary>
public enum ExecutionStatus
{
    Enqueued,

    /// <summary>Waiting for a retry or a delay.</summary>
    Scheduled,
    Processing,
    Succeeded,
    Failed,

    /// <summary>Deleted before it finished (for example from the dashboard).</summary>
    Cancelled,
}
