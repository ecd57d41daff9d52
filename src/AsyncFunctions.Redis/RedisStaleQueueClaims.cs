using AsyncFunctions.Nodes;
using StackExchange.Redis;

namespace AsyncFunctions.Redis;

/// <summary>
/// A dead node's entries in Hangfire.Redis.StackExchange's fetched lists (<c>queue:NAME:dequeued</c>,
/// one list element per fetch of the job). A fetch pushes at the head, so the dead node's entries
/// are the oldest of the job's: the removal takes that many from the tail and leaves one that a
/// living worker fetched after the requeue. Left in place, an entry stays in the list until the
/// storage's watcher requeues it (its <c>Fetched</c> time is overwritten by the next fetch).
/// The requeue puts the job at the back of its queue (pushed at the head, fetched from the tail),
/// behind every job that waited while it ran; the removal moves it to the front, next to be
/// fetched, so a backlog does not add to its recovery delay.
/// </summary>
public sealed class RedisStaleQueueClaims(Func<IDatabase> database, string prefix) : IStaleQueueClaims
{
    // Moves the job's entry from anywhere in the queue to its tail, where workers fetch from;
    // nothing when a worker fetched it already. One script, so no fetch sees the queue without it.
    private const string ToFront = """
        if redis.call('LREM', KEYS[1], 1, ARGV[1]) > 0 then
          redis.call('RPUSH', KEYS[1], ARGV[1])
          return 1
        end
        return 0
        """;

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
            await redis.ScriptEvaluateAsync(ToFront, [(RedisKey)$"{prefix}queue:{queue.Key}"], [claims.JobId]).ConfigureAwait(false);
        }

        return (int)removed;
    }

    private string FetchedList(string queue) => $"{prefix}queue:{queue}:dequeued";
}
