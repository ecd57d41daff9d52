using Hangfire.Redis.StackExchange;

namespace AsyncFunctions.Redis;

/// <summary>
/// Settings of the Redis job storage; the server binds them from <c>AsyncFunctions:Storage:Jobs:Redis</c>.
/// Defaults differ from Hangfire.Redis.StackExchange's where the platform needs it (see each).
/// </summary>
public sealed class RedisJobStorageOptions
{
    public const string Section = "AsyncFunctions:Storage:Jobs:Redis";

    /// <summary>Prefix of every Hangfire key; nodes of one deployment share it, deployments sharing a Redis differ.</summary>
    public string Prefix { get; set; } = "{asyncfunctions}:";

    /// <summary>Redis database number; null takes the connection string's <c>defaultDatabase</c> (else 0).</summary>
    public int? Db { get; set; }

    /// <summary>
    /// How long a fetched job may stay unfinished before another node runs it again.
    /// Hangfire.Redis.StackExchange does not renew it while the job runs (unlike the SQL storages'
    /// sliding invisibility), so it must exceed the longest single run of an execution: a run
    /// still going after this time starts a second time elsewhere. Unset, it is
    /// <c>AsyncFunctions:Execution:DefaultTimeout</c> plus one minute; set shorter than that
    /// timeout, the node refuses to start. It is also how soon the jobs of a killed node run again:
    /// this time, plus up to one minute until the storage's watcher next looks.
    /// </summary>
    public TimeSpan? InvisibilityTimeout { get; set; }

    /// <summary>
    /// How long an idle worker waits for Redis' pub/sub wake-up before scanning the queues anyway
    /// (a lost notification costs at most this). Hangfire.Redis.StackExchange's default is 3 minutes.
    /// </summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often finished jobs past their expiry are removed from the succeeded and deleted lists.</summary>
    public TimeSpan ExpiryCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many finished jobs the dashboard's Succeeded list keeps.</summary>
    public int SucceededListSize { get; set; } = 499;

    /// <summary>How many jobs the dashboard's Deleted list keeps.</summary>
    public int DeletedListSize { get; set; } = 499;

    /// <summary>Hangfire.Redis.StackExchange's options as these settings make them.</summary>
    public RedisStorageOptions ToHangfireOptions(int connectionDefaultDatabase, TimeSpan functionTimeout) => new()
    {
        Prefix = Prefix,
        Db = Db ?? connectionDefaultDatabase,
        InvisibilityTimeout = EffectiveInvisibilityTimeout(functionTimeout),
        FetchTimeout = FetchTimeout,
        ExpiryCheckInterval = ExpiryCheckInterval,
        SucceededListSize = SucceededListSize,
        DeletedListSize = DeletedListSize,
        // Transactions keep a job's creation and its state changes atomic in Redis (MULTI/EXEC).
        UseTransactions = true,
    };

    /// <summary>The invisibility timeout for runs bounded by <paramref name="functionTimeout"/> (the default function timeout).</summary>
    public TimeSpan EffectiveInvisibilityTimeout(TimeSpan functionTimeout)
    {
        if (InvisibilityTimeout is not { } set)
        {
            return functionTimeout + TimeSpan.FromMinutes(1);
        }

        return set > functionTimeout
            ? set
            : throw new InvalidOperationException(
                $"{Section}:InvisibilityTimeout ({set}) must be longer than AsyncFunctions:Execution:DefaultTimeout ({functionTimeout}): " +
                "Redis does not extend a running job's invisibility, so a longer run would start a second time on another node.");
    }

    /// <summary>Throws naming the setting that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Prefix))
        {
            throw new InvalidOperationException($"{Section}:Prefix must not be empty.");
        }

        if (Db is < 0)
        {
            throw new InvalidOperationException($"{Section}:Db must not be negative; it is {Db}.");
        }

        if (InvisibilityTimeout is { } invisibility && invisibility < TimeSpan.FromSeconds(5))
        {
            throw new InvalidOperationException($"{Section}:InvisibilityTimeout must be at least 00:00:05; it is {invisibility}.");
        }

        if (FetchTimeout < TimeSpan.FromMilliseconds(100))
        {
            throw new InvalidOperationException($"{Section}:FetchTimeout must be at least 00:00:00.1; it is {FetchTimeout}.");
        }

        if (ExpiryCheckInterval < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException($"{Section}:ExpiryCheckInterval must be at least 00:00:01; it is {ExpiryCheckInterval}.");
        }

        if (SucceededListSize < 1 || DeletedListSize < 1)
        {
            throw new InvalidOperationException($"{Section}:SucceededListSize and DeletedListSize must be at least 1.");
        }
    }
}
