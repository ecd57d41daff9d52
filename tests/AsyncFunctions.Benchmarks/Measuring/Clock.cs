using System.Diagnostics;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>Monotonic timestamps (<see cref="Stopwatch.GetTimestamp"/>) and conversions.</summary>
public static class Clock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    public static long After(long from, double seconds) => from + (long)(seconds * Stopwatch.Frequency);
}
