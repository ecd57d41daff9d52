namespace AsyncFunctions.Recording;

/// <summary>Where a status change comes from; observers may treat some sources differently.</summary>
public enum StatusChangeSource
{
    /// <summary>A Hangfire state change of the execution's job (worker, scheduler, client, dashboard, cancel).</summary>
    JobState,

    /// <summary>A sync run inside its request: it started, finished, or its caller went away.</summary>
    SyncRun,

    /// <summary>A sync run whose node stopped: its lease expired and another node ends it as <c>execution.lost</c>.</summary>
    LeaseExpired,

    /// <summary>Start-up with a job storage that does not survive a restart: the previous run's unfinished executions end as <c>execution.lost</c>.</summary>
    StartupRecovery,

    /// <summary>The row was written but the job system could not finish creating the job: it ends as <c>execution.lost</c>.</summary>
    JobCreationFailed,
}
