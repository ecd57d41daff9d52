using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql's connection whose job state locks are <see cref="PromptJobLocks"/>: one round
/// trip each way, and tried again within milliseconds. Inside an ambient transaction (a job created
/// in one transaction with its row) a lock is Hangfire.PostgreSql's own, which joins it. Its workers
/// fetch through <see cref="ListeningJobFetch"/>, and its enqueues wake them once committed
/// (<see cref="RingingWriteTransaction"/>).
/// </summary>
internal class PromptLockConnection(PostgreSqlStorage storage, PromptJobLocks jobLocks, ListeningJobFetch jobFetch, JobArrivals arrivals) : PostgreSqlConnection(storage)
{
    // Per connection, as Hangfire.PostgreSql's: a resource this connection holds is granted to it again.
    private readonly Dictionary<string, (int Count, IDisposable Taken)> _held = new(StringComparer.Ordinal);

    private readonly PostgreSqlStorage _storage = storage;

    public override IWriteOnlyTransaction CreateWriteTransaction() => new RingingWriteTransaction(_storage, arrivals);

    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken) =>
        jobFetch.Handles ? jobFetch.Fetch(queues, cancellationToken) : base.FetchNextJob(queues, cancellationToken);

    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
    {
        if (!jobLocks.Handles(resource))
        {
            return base.AcquireDistributedLock(resource, timeout);
        }

        lock (_held)
        {
            if (_held.TryGetValue(resource, out var held))
            {
                _held[resource] = (held.Count + 1, held.Taken);
                return new Hold(this, resource);
            }
        }

        var taken = jobLocks.Acquire(resource, timeout);
        lock (_held)
        {
            _held[resource] = (1, taken);
        }

        return new Hold(this, resource);
    }

    private void Release(string resource)
    {
        IDisposable taken;
        lock (_held)
        {
            var held = _held[resource];
            if (held.Count > 1)
            {
                _held[resource] = (held.Count - 1, held.Taken);
                return;
            }

            _held.Remove(resource);
            taken = held.Taken;
        }

        taken.Dispose();
    }

    /// <summary>One acquisition; the last one disposed gives the lock back.</summary>
    private sealed class Hold(PromptLockConnection connection, string resource) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                connection.Release(resource);
            }
        }
    }
}
