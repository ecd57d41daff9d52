using AsyncFunctions.Benchmarks.Measuring;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>One system under test in the throughput and latency scenarios: ours, or raw Hangfire.</summary>
public interface IJobSide : IAsyncDisposable
{
    /// <summary>"ours" or "raw".</summary>
    string Kind { get; }

    CompletionTracker Completions { get; }

    /// <summary>Database work counted while this side runs, when the storage exposes it.</summary>
    IWorkCounter? Work { get; }

    /// <summary>Starts one job: a no-op, or (with a payload) one that returns its input. Returns its id.</summary>
    string Start(string? payload);

    /// <summary>Throws unless every id finished successfully (for ours: status Succeeded in the results table).</summary>
    Task VerifyAsync(IReadOnlyCollection<string> ids);

    /// <summary>Where one job stands (its Hangfire state, for ours also its results row), for a report that names what went missing.</summary>
    Task<string> DescribeAsync(string id);
}
