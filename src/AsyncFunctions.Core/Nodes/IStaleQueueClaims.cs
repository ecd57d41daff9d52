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
    /// Claims the entries <see cref="FindAsync"/> found for the takeover, each only if no worker
    /// fetched or renewed it since, and keeps them from being fetched for <paramref name="holdFor"/>
    /// beyond the storage's invisibility timeout: between its look at the job and its requeue, no
    /// worker can take the dead node's entry and start a run that the requeue would then double.
    /// False when an entry changed (a living worker has the job). A storage whose entries carry no
    /// fetch time holds nothing and answers true.
    /// </summary>
    Task<bool> HoldAsync(QueueClaims claims, TimeSpan holdFor, CancellationToken cancellationToken = default) => Task.FromResult(true);
}
