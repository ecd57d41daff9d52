using System.Diagnostics;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// Process-wide costs between two snapshots: CPU time (user + kernel), bytes allocated,
/// thread-pool work items and contended lock acquisitions. Only one side runs at a time, so
/// the difference is that side's cost (plus the load generator's, which is the same for both).
/// </summary>
public sealed record ProcessCost(TimeSpan Cpu, long Allocated, long WorkItems, long LockContentions)
{
    public static readonly string[] Names =
    [
        "CPU time (µs)",
        "allocated (KiB)",
        "thread-pool work items",
        "lock contentions",
    ];

    public static ProcessCost Now()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessCost(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true), ThreadPool.CompletedWorkItemCount, Monitor.LockContentionCount);
    }

    /// <summary>The cost since <paramref name="before"/>, divided by <paramref name="count"/>, in the units of <see cref="Names"/>.</summary>
    public double[] PerItemSince(ProcessCost before, int count) =>
    [
        (Cpu - before.Cpu).TotalMicroseconds / count,
        (Allocated - before.Allocated) / 1024.0 / count,
        (WorkItems - before.WorkItems) / (double)count,
        (LockContentions - before.LockContentions) / (double)count,
    ];
}
