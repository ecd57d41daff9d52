namespace AsyncFunctions.Running;

/// <summary>
/// How many async executions this node runs at once, as the job framework that runs them knows
/// it; used to tell an await starved of workers from a plain timeout. Without one, no await is
/// reported as starved.
/// </summary>
public interface IWorkerCapacity
{
    /// <summary>Executions this node runs at once; 0 when it runs none.</summary>
    int Workers { get; }
}
