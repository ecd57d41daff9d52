using AsyncFunctions.Nodes;
using Hangfire;
using Hangfire.Common;
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
public sealed class RedisStaleQueueClaims(Func<IDatabase> database, Func<JobStorage> storage, string prefix) : IStaleQueueClaims
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

    // Requeues a fetched job that no worker started, if it is as it was read: the fetch's time
    // unchanged (a new fetch rewrites it), the job still Enqueued, its entry still fetched. Like
    // the storage's own requeue: back at the front of the queue, the fetch's marks removed, and a
    // wake-up for idle workers.
    private const string RequeueUnstarted = """
        if redis.call('HGET', KEYS[3], 'Fetched') ~= ARGV[2] then return 0 end
        if redis.call('HGET', KEYS[3], 'State') ~= 'Enqueued' then return 0 end
        if redis.call('LREM', KEYS[1], -1, ARGV[1]) == 0 then return 0 end
        redis.call('HDEL', KEYS[3], 'Fetched', 'Checked')
        redis.call('RPUSH', KEYS[2], ARGV[1])
        redis.call('PUBLISH', ARGV[3], ARGV[1])
        return 1
        """;

    // Deletes a lock only while its holder is the one named.
    private const string ReleaseIfHeldBy = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>Node id to the value Hangfire.Redis writes in the locks that node holds.</summary>
    private string LockHoldersKey => prefix + "af:lock-holders";

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

    /// <summary>
    /// A fetch writes the job's <c>Fetched</c> time (the fetching node's clock) after moving its id
    /// to the fetched list, and the worker then moves the job to Processing; a job still Enqueued
    /// with a fetch no later than <paramref name="fetchedBy"/> was fetched by the dead node, unless
    /// a living node left a fetch of its own unstarted that long.
    /// </summary>
    public async Task<IReadOnlyList<string>> RequeueUnstartedAsync(string nodeId, DateTimeOffset fetchedBy, CancellationToken cancellationToken = default)
    {
        var redis = database();
        var requeued = new List<string>();
        foreach (var queue in await redis.SetMembersAsync(prefix + "queues").ConfigureAwait(false))
        {
            foreach (var id in (await redis.ListRangeAsync(FetchedList(queue!)).ConfigureAwait(false)).Distinct())
            {
                var job = (RedisKey)$"{prefix}job:{id}";
                var fields = await redis.HashGetAsync(job, ["Fetched", "State"]).ConfigureAwait(false);
                if (fields[1] != "Enqueued" || fields[0].IsNullOrEmpty
                    || JobHelper.DeserializeNullableDateTime(fields[0]) is not { } fetched
                    || new DateTimeOffset(DateTime.SpecifyKind(fetched, DateTimeKind.Utc)) > fetchedBy)
                {
                    continue;
                }

                // Its change to Processing may have been under way, holding the job's lock.
                await ReleaseLocksAsync(nodeId, [id!], cancellationToken).ConfigureAwait(false);
                var done = await redis.ScriptEvaluateAsync(
                    RequeueUnstarted,
                    [(RedisKey)FetchedList(queue!), (RedisKey)$"{prefix}queue:{queue}", job],
                    [id, fields[0], $"{prefix}JobFetchChannel"]).ConfigureAwait(false);
                if ((long)done == 1)
                {
                    requeued.Add(id!);
                }
            }
        }

        return requeued;
    }

    /// <summary>
    /// Hangfire.Redis.StackExchange writes one value, fixed for the process, in every lock it
    /// takes, and keeps a lock for 30 seconds past its holder's last renewal: a node killed while
    /// changing a job's state (or resuming one, or scheduling) left that job's lock in place that
    /// long. The value is learnt by taking a lock of this node's own through Hangfire's API.
    /// </summary>
    public Task AnnounceAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeId);
        var resource = $"af:lock-holder-probe:{nodeId}";
        RedisValue holder;
        using (var connection = storage().GetConnection())
        using (connection.AcquireDistributedLock(resource, TimeSpan.FromSeconds(30)))
        {
            holder = database().StringGet(prefix + resource);
        }

        return holder.IsNullOrEmpty
            ? throw new InvalidOperationException($"The Redis lock {prefix}{resource} held no value; Hangfire.Redis.StackExchange's locks are not as expected.")
            : database().HashSetAsync(LockHoldersKey, nodeId, holder);
    }

    public async Task<int> ReleaseLocksAsync(string nodeId, IReadOnlyCollection<string>? jobIds, CancellationToken cancellationToken = default)
    {
        var redis = database();
        var holder = await redis.HashGetAsync(LockHoldersKey, nodeId).ConfigureAwait(false);
        if (holder.IsNullOrEmpty)
        {
            return 0;
        }

        var keys = jobIds is null ? await AllLocksAsync(redis).ConfigureAwait(false) : jobIds.Select(id => (RedisKey)$"{prefix}job:{id}:state-lock").ToList();
        var released = 0L;
        foreach (var key in keys)
        {
            released += (long)await redis.ScriptEvaluateAsync(ReleaseIfHeldBy, [key], [holder]).ConfigureAwait(false);
        }

        if (jobIds is null)
        {
            await redis.HashDeleteAsync(LockHoldersKey, nodeId).ConfigureAwait(false);
        }

        return (int)released;
    }

    /// <summary>Every lock key of this prefix (Hangfire names them <c>...lock...</c>), by SCAN on each primary.</summary>
    private async Task<List<RedisKey>> AllLocksAsync(IDatabase redis)
    {
        var pattern = GlobEscaped(prefix) + "*lock*";
        var keys = new List<RedisKey>();
        foreach (var endpoint in redis.Multiplexer.GetEndPoints())
        {
            var server = redis.Multiplexer.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(redis.Database, pattern, pageSize: 1000).ConfigureAwait(false))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static string GlobEscaped(string text) =>
        string.Concat(text.Select(c => c is '*' or '?' or '[' or ']' or '\\' ? "\\" + c : c.ToString()));

    private string FetchedList(string queue) => $"{prefix}queue:{queue}:dequeued";
}
