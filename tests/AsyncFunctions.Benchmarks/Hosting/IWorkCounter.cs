namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>Counts database work, so a scenario can report it per execution.</summary>
public interface IWorkCounter
{
    /// <summary>What the counter counts, e.g. "commits (xact_commit)".</summary>
    IReadOnlyList<string> Names { get; }

    Task<long[]> ReadAsync();
}
