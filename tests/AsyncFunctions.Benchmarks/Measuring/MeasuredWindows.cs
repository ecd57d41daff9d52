using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// Marks where a side's measured work begins and ends, so a profile of the whole benchmark process
/// can be cut down to one side's burn-downs: as events of the EventSource
/// <c>AsyncFunctions-Benchmarks</c> (for EventPipe traces, e.g. <c>dotnet-trace --providers AsyncFunctions-Benchmarks</c>)
/// and, when <c>ASYNCFUNCTIONS_BENCH_WINDOWS</c> names a file, as lines <c>side begin|end monotonic-ns count</c>
/// appended to it (for <c>perf record -k mono</c>, whose timestamps use the same clock).
/// </summary>
[EventSource(Name = "AsyncFunctions-Benchmarks")]
public sealed class MeasuredWindows : EventSource
{
    public const string FileVariable = "ASYNCFUNCTIONS_BENCH_WINDOWS";

    public static readonly MeasuredWindows Log = new();

    private static readonly string? File = Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } path ? path : null;

    private static readonly Lock FileLock = new();

    private MeasuredWindows()
    {
    }

    [NonEvent]
    public static void Begin(string side, int count)
    {
        Log.WindowBegin(side, count);
        Append(side, "begin", count);
    }

    [NonEvent]
    public static void End(string side, int count)
    {
        Log.WindowEnd(side, count);
        Append(side, "end", count);
    }

    [Event(1, Level = EventLevel.Informational)]
    private void WindowBegin(string side, int count) => WriteEvent(1, side, count);

    [Event(2, Level = EventLevel.Informational)]
    private void WindowEnd(string side, int count) => WriteEvent(2, side, count);

    private static void Append(string side, string edge, int count)
    {
        if (File is null)
        {
            return;
        }

        var nanoseconds = (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
        lock (FileLock)
        {
            System.IO.File.AppendAllText(File, string.Create(CultureInfo.InvariantCulture, $"{side} {edge} {nanoseconds} {count}\n"));
        }
    }
}
