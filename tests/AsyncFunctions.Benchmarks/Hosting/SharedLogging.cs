using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>
/// One logger factory for every host of the process, never disposed before the process ends.
/// Hangfire keeps its log provider in a static, bound to the logger factory of whichever host
/// configured it; once that host is disposed, the next host's storage fails to start with
/// ObjectDisposedException. Sharing one factory keeps the static valid for all hosts.
/// </summary>
public static class SharedLogging
{
    public static ILoggerFactory Factory { get; } = LoggerFactory.Create(b => b
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(LogLevel.Warning));
}
