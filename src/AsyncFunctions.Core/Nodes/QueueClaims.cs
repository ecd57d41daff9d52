namespace AsyncFunctions.Nodes;

/// <summary>
/// Fetched queue entries of one job, as the job storage names them (a queue row's id, or the name
/// of the queue whose fetched list holds the job once per entry).
/// </summary>
public sealed record QueueClaims(string JobId, IReadOnlyList<string> Entries)
{
    /// <summary>
    /// How long ago each entry was fetched or last renewed, by the job storage's own clock, in the
    /// order of <see cref="Entries"/>; empty where the storage does not record it.
    /// </summary>
    public IReadOnlyList<TimeSpan> Ages { get; init; } = [];

    /// <summary>When each entry was fetched or last renewed, as the storage wrote it: a hold changes an entry only if it is unchanged.</summary>
    public IReadOnlyList<DateTime> FetchedAt { get; init; } = [];

    public static QueueClaims None(string jobId) => new(jobId, []);

    /// <summary>
    /// True when an entry was fetched or renewed within <paramref name="age"/>: a living worker's
    /// (a refetch after the invisibility timeout, or a run that renews its claim), not the dead node's,
    /// whose renewals stopped when its heartbeats did.
    /// </summary>
    public bool RenewedWithin(TimeSpan age) => Ages.Any(a => a < age);
}
