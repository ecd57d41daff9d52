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
}
