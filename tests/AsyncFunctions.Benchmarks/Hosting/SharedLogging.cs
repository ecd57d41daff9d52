using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>
/// One logger factory for every host of the process, never disposed before the process ends.
/// The benchmark starts and stops dozens of hosts; Hangfire's logging is process-wide, so a factory
/// that outlives them all means nothing ever logs through the factory of a host that already stopped.
/// </summary>
public static class SharedLogging
{
    /// <summary>Names a lower level for Hangfire's own categories (e.g. Debug) when chasing a problem in a run.</summary>
    public const string HangfireLevelVariable = "ASYNCFUNCTIONS_BENCH_HANGFIRE_LOG";

    public static ILoggerFactory Factory { get; } = LoggerFactory.Create(b => b
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        })
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Hangfire", Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(HangfireLevelVariable), ignoreCase: true, out var level) ? level : LogLevel.Warning));
}
