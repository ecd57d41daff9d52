namespace AsyncFunctions.FlowControl;

/// <summary>
/// Queues executions that were handed their slots while waiting (the job system moves each from
/// Waiting to Enqueued). Asynchronous: it is told inside another job's status change, which must
/// stay quick. Each comes with the time it began to wait, so a fresh waiter's state change can be
/// given a moment to let its job go, and an old one is queued at once, without reading its state first.
/// </summary>
public interface IFlowWakeUps
{
    void Wake(IReadOnlyList<GrantedWaiter> waiters);
}
