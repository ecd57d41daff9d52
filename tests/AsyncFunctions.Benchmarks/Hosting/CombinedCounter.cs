namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>Two work counters read as one.</summary>
public sealed class CombinedCounter(IWorkCounter first, IWorkCounter second) : IWorkCounter
{
    public IReadOnlyList<string> Names { get; } = [.. first.Names, .. second.Names];

    public async Task<long[]> ReadAsync() =>
        [.. await first.ReadAsync().ConfigureAwait(false), .. await second.ReadAsync().ConfigureAwait(false)];
}
