using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// A job a worker fetched from Hangfire.PostgreSql's queue, whose removal from the queue commits
/// with the job's final state (Hangfire's transactional acknowledge, which
/// <see cref="RecordingPostgreSqlStorage"/> announces for this type): one commit fewer per run.
/// The worker still calls <see cref="RemoveFromQueue"/> after that state change; once the state's
/// transaction removed the job, that call does nothing.
/// </summary>
internal sealed class TransactionalAckFetchedJob(IFetchedJob inner) : IFetchedJob
{
    private bool _removed;

    public string JobId => inner.JobId;

    /// <summary>Deletes the queue entry; called inside the state's transaction, so it commits or rolls back with it.</summary>
    public void RemoveInTransaction() => inner.RemoveFromQueue();

    /// <summary>The state's transaction, which removed the entry, committed.</summary>
    public void MarkRemoved() => _removed = true;

    public void RemoveFromQueue()
    {
        if (!_removed)
        {
            inner.RemoveFromQueue();
        }
    }

    public void Requeue() => inner.Requeue();

    public void Dispose() => inner.Dispose();
}
