namespace AsyncFunctions.Nodes;

/// <summary>
/// The job storage's queue entries that a dead node had fetched. A takeover requeues the job, and
/// the dead node's entry would otherwise stay claimed until the storage's invisibility timeout and
/// then hand the job out once more while its new run is still going.
/// </summary>
public interface IStaleQueueClaims
{
    /// <summary>
    /// The fetched queue entries of <paramref name="jobId"/> as they are now, read while the job is
    /// still Processing on the dead node, so they are that node's.
    /// </summary>
    Task<QueueClaims> FindAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the entries <see cref="FindAsync"/> found, and none fetched since; returns how many
    /// it removed. A storage that serves its queue in order of arrival also moves the job's new
    /// entry to the front: the job was running already and should not wait behind a backlog.
    /// </summary>
    Task<int> RemoveAsync(QueueClaims claims, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts back at the front of their queues the jobs a dead node had fetched but not yet moved to
    /// Processing: still Enqueued, their fetched entry written no later than
    /// <paramref name="fetchedBy"/> by the clock of the node that fetched them (the dead node's
    /// own clock, which also wrote its last heartbeat). Returns their ids; a storage whose fetched
    /// entries do not tell when they were fetched returns none and leaves them to its invisibility
    /// timeout.
    /// </summary>
    Task<IReadOnlyList<string>> RequeueUnstartedAsync(string nodeId, DateTimeOffset fetchedBy, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records, where every node can read it, how the job storage names this node as the holder
    /// of a distributed lock, so that its locks can be released if it dies. Storages whose locks
    /// end with their holder's connection need nothing.
    /// </summary>
    Task AnnounceAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases the job storage's distributed locks that the dead node <paramref name="nodeId"/>
    /// still held: the state locks of <paramref name="jobIds"/>, or, when null, every lock it
    /// held (and then forgets the node's name as a holder). Returns how many it released. A lock
    /// a node held when it died otherwise stays until its expiry, and every state change of that
    /// job (the takeover's requeue, a resume) waits for it.
    /// </summary>
    Task<int> ReleaseLocksAsync(string nodeId, IReadOnlyCollection<string>? jobIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the entries <see cref="FindAsync"/> found for the takeover, each only if no worker
    /// fetched or renewed it since, and keeps them from being fetched for <paramref name="holdFor"/>
    /// beyond the storage's invisibility timeout: between its look at the job and its requeue, no
    /// worker can take the dead node's entry and start a run that the requeue would then double.
    /// False when an entry changed (a living worker has the job). A storage whose entries carry no
    /// fetch time holds nothing and answers true.
    /// </summary>
    Task<bool> HoldAsync(QueueClaims claims, TimeSpan holdFor, CancellationToken cancellationToken = default) => Task.FromResult(true);
}
