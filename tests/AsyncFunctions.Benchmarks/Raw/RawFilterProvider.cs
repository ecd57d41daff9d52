using Hangfire.Common;

namespace AsyncFunctions.Benchmarks.Raw;

/// <summary>Hangfire's default filters plus the completion recorder; never the static global filters alone.</summary>
public sealed class RawFilterProvider(CompletionStateFilter completions) : IJobFilterProvider
{
    private readonly JobFilter[] _ours = [new(completions, JobFilterScope.Global, null)];

    public IEnumerable<JobFilter> GetFilters(Job job) => JobFilterProviders.Providers.GetFilters(job).Concat(_ours);
}
