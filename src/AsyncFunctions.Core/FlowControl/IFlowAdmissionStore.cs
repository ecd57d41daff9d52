namespace AsyncFunctions.FlowControl;

/// <summary>
/// The slots, waiters and rate windows of every limited function, kept in the results database so
/// every node sees the same. Every method is one transaction; every call for one function is
/// serialized by the database, so two nodes never both take the last slot.
/// </summary>
public interface IFlowAdmissionStore
{
    /// <summary>
    /// Admits <paramref name="executionId"/>: passes the ticket's rate limit (or reserves the next
    /// free window) and takes a slot of each of its concurrency limits, or records it as a waiter in
    /// arrival order. The job layer asks with the concurrency limits when a job is queued and with
    /// the rate limit when a worker starts it. Idempotent for slots: an execution that holds its
    /// slots is admitted again, one that waits still waits.
    /// </summary>
    Task<AdmissionOutcome> AdmitAsync(string executionId, AdmissionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Admits <paramref name="executionId"/> now or not at all (a sync run, which cannot wait
    /// without its request): it takes a slot of every concurrency limit and counts a start in its
    /// rate window only when every limit has room and nobody waits ahead of it; otherwise nothing
    /// is written and the outcome says what is full (<see cref="AdmissionVerdict.Waiting"/>, or
    /// <see cref="AdmissionVerdict.Delayed"/> with the start of the next free window).
    /// </summary>
    Task<AdmissionOutcome> AdmitNowAsync(string executionId, AdmissionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back the slots of <paramref name="executionId"/> and removes it as a waiter (when
    /// <paramref name="suspending"/>, only the slots of limits that do not hold while awaiting),
    /// then hands each freed slot to the oldest waiter that fits, in the same transaction. Returns
    /// the executions that now hold their slots and must be queued. <paramref name="function"/>
    /// names the function whose limits it held.
    /// </summary>
    Task<IReadOnlyList<GrantedWaiter>> ReleaseAsync(string function, string executionId, bool suspending, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// The repair round: frees the slots of executions that finished (or whose row is gone, when the
    /// slot is older than <paramref name="orphanedBefore"/>), hands free slots to waiters, and returns
    /// the waiters it handed slots to and every execution that holds its slots but is still
    /// recorded as waiting (a lost wake-up).
    /// </summary>
    Task<FlowRepair> RepairAsync(DateTimeOffset now, DateTimeOffset orphanedBefore, CancellationToken cancellationToken = default);

    /// <summary>Every limit key in use: its capacity and how many hold or wait for a slot.</summary>
    Task<IReadOnlyList<FlowKeyUsage>> ListUsageAsync(CancellationToken cancellationToken = default);

    /// <summary>What <paramref name="executionId"/> waits for, or null when it waits for no slot.</summary>
    Task<string?> DescribeWaitAsync(string executionId, CancellationToken cancellationToken = default);
}

/// <summary>One key of one limit, as the dashboard lists it.</summary>
public sealed record FlowKeyUsage(string Function, string Scope, string Key, int Limit, int Running, int Waiting);

/// <summary>A waiter that was handed its slots, since when it waited, the queue that carries it, and when it was handed them.</summary>
public sealed record GrantedWaiter(string Id, string Function, DateTimeOffset WaitingSince, string Queue = FunctionFlow.DefaultQueue, DateTimeOffset? GrantedAt = null);

/// <summary>What a repair round did: slots freed, and the executions to queue.</summary>
public sealed record FlowRepair(int Freed, IReadOnlyList<GrantedWaiter> Granted, IReadOnlyList<string> StillWaiting);
