namespace AsyncFunctions.Executions;

/// <summary>What a cancel or a requeue of an execution did.</summary>
public enum ControlOutcome
{
    /// <summary>The state changed as asked.</summary>
    Done,

    /// <summary>The execution is not in a state the action applies to (finished for a cancel, unfinished for a requeue).</summary>
    WrongState,

    /// <summary>The execution has no job (a sync run, or a job that expired or did not survive a restart).</summary>
    NoJob,
}
