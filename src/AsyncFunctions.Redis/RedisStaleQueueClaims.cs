using AsyncFunctions.Nodes;
using StackExchange.Redis;

namespace AsyncFunctions.Redis;

/// <summary>
/// A dead node's entries in Hangfire.Redis.StackExchange's fetched lists (<c>queue:NAME:dequeued</c>,
/// one list element per fetch of the job). A fetch pushes at the head, so the dead node's entries
/// are the oldest of the job's: the removal takes that many from the tail and leaves one that a
/// living worker fetched after the requeue. Left in place, an entry stays in the list until the
/// storage's watcher requeues it (its <c>Fetched</c> time is overwritten by the next fetch).
/// </summary>
public sealed class RedisStaleQueueClaims(Func<IDatabase> database, string prefix) : IStaleQueueClaims
{
    public async Task<QueueClaims> FindAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var redis = database();
        var entries = new List<string>();
        foreach (var queue in await redis.SetMembersAsync(prefix + "queues").ConfigureAwait(false))
        {
            var fetched = await redis.ListRangeAsync(FetchedList(queue!)).ConfigureAwait(false);
            entries.AddRange(fetched.Where(id => id == jobId).Select(_ => queue.ToString()));
        }

        return new QueueClaims(jobId, entries);
    }

    public async Task<int> RemoveAsync(QueueClaims claims, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var redis = database();
        var removed = 0L;
        foreach (var queue in claims.Entries.GroupBy(e => e, StringComparer.Ordinal))
        {
            // A negative count removes from the tail, where the oldest fetches are.
            removed += await redis.ListRemoveAsync(FetchedList(queue.Key), claims.JobId, -queue.Count()).ConfigureAwait(false);
        }

        return (int)removed;
    }

    private string FetchedList(string queue) => $"{prefix}queue:{queue}:dequeued";
}
