namespace AsyncFunctions.Executions;

/// <summary>Where an execution stands. Mirrors the Hangfire state of its job.</summary>
public enum ExecutionStatus
{
    Enqueued,

    /// <summary>Waiting for a retry or a delay.</summary>
    Scheduled,
    Processing,

    /// <summary>
    /// Suspended: a function stack stopped at an await or a long sleep, saved its state and gave
    /// its worker back; it is queued again when what it waits for is done or its deadline passes.
    /// Not terminal.
    /// </summary>
    Awaiting,
    Succeeded,
    Failed,

    /// <summary>Deleted before it finished (for example from the dashboard).</summary>
    Cancelled,

    /// <summary>
    /// Held by a concurrency limit of its function: it holds no worker and is queued when a slot
    /// is handed to it, in arrival order (see the record's <c>waitingForLimit</c>). Not terminal.
    /// </summary>
    Waiting,
}
