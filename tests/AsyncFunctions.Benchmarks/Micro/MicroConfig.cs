using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>
/// In-process runs (the out-of-process toolchain would build a copy of this project and all its
/// storage dependencies per run), one joined table in microseconds and kilobytes in the order the
/// benchmarks are declared, and a short job unless the command line names one.
/// </summary>
public static class MicroConfig
{
    /// <summary>Like BenchmarkDotNet's ShortRun, with more iterations: 3 warm-ups, 10 measured.</summary>
    public static readonly Job ShortInProcess = Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(10)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("ShortInProcess");

    /// <param name="commandLineNamesJob">True when the arguments pick a job (<c>--job</c>): it replaces the short job, and runs in-process too.</param>
    public static IConfig Create(bool commandLineNamesJob)
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(new Job("InProcess").WithToolchain(InProcessEmitToolchain.Instance).AsMutator())
            .WithOptions(ConfigOptions.JoinSummary)
            .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared))
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond).WithSizeUnit(SizeUnit.KB))
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        return commandLineNamesJob ? config : config.AddJob(ShortInProcess);
    }
}
