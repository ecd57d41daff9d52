using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>
/// One logger factory for every host of the process, never disposed before the process ends.
/// The benchmark starts and stops dozens of hosts; Hangfire's logging is process-wide, so a factory
/// that outlives them all means nothing ever logs through the factory of a host that already stopped.
/// </summary>
public static class SharedLogging
{
    public static ILoggerFactory Factory { get; } = LoggerFactory.Create(b => b
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(LogLevel.Warning));
}
