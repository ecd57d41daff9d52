namespace AsyncFunctions.Nodes;

/// <summary>
/// Fetched queue entries of one job, as the job storage names them (a queue row's id, or the name
/// of the queue whose fetched list holds the job once per entry).
/// </summary>
public sealed record QueueClaims(string JobId, IReadOnlyList<string> Entries)
{
    public static QueueClaims None(string jobId) => new(jobId, []);
}
