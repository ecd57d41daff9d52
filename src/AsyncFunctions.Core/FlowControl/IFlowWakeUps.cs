namespace AsyncFunctions.FlowControl;

/// <summary>
/// Queues executions that were handed their slots while waiting (the job system moves each from
/// Waiting to Enqueued). Asynchronous: it is told inside another job's status change, which must
/// stay quick.
/// </summary>
public interface IFlowWakeUps
{
    void Wake(IReadOnlyList<string> executionIds);
}
