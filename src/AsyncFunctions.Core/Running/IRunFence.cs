namespace AsyncFunctions.Running;

/// <summary>
/// Asked by a queued run before it writes its suspension (checkpoint and waits): whether the run
/// still owns its execution. On shared topologies another node takes a silent node's executions
/// over; a run of a node that was only slow (paused, starved) and comes back must then write
/// nothing over the new run's state.
/// </summary>
public interface IRunFence
{
    /// <summary>False when the execution was taken from this run; true when it is certainly still its own.</summary>
    bool IsCurrent(string executionId);
}
