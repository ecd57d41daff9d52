namespace AsyncFunctions.Hangfire.Startup;

/// <summary>How long finished executions and their jobs are kept; bound from <c>AsyncFunctions:Retention</c>.</summary>
public sealed class RetentionOptions
{
    public const string Section = "AsyncFunctions:Retention";

    /// <summary>
    /// How long a finished execution's record (with its logs and waits) is kept after it finished;
    /// <see cref="TimeSpan.Zero"/> keeps records forever.
    /// </summary>
    public TimeSpan Executions { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each node purges records past <see cref="Executions"/>.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Records deleted per transaction of the purge.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long Hangfire keeps a succeeded or cancelled (deleted) job: its dashboard history and a
    /// retry under the same id. Null keeps Hangfire's own default (a day; at most 3 hours in the
    /// embedded default's memory). At most <see cref="Executions"/>, so no job outlives its record.
    /// Hangfire keeps failed jobs until they are retried or deleted.
    /// </summary>
    public TimeSpan? JobExpiration { get; set; }

    /// <summary>The expiration of a finished job given Hangfire's own (<paramref name="hangfireDefault"/>): the set one, else the default, never past <see cref="Executions"/>.</summary>
    public TimeSpan JobExpirationOr(TimeSpan hangfireDefault)
    {
        var expiration = JobExpiration ?? hangfireDefault;
        return Executions > TimeSpan.Zero && expiration > Executions ? Executions : expiration;
    }
}
