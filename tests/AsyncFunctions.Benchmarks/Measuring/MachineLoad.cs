using System.Diagnostics;
using System.Globalization;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// How busy the machine was with other processes between two snapshots: busy CPU time of the
/// whole machine (from /proc/stat, Linux only) minus this process's own. A benchmark on a shared
/// machine reports this so a reader can tell a slow platform from a busy neighbour.
/// </summary>
public sealed record MachineLoad(long BusyTicks, long TotalTicks, TimeSpan OwnCpu)
{
    private const string ProcStat = "/proc/stat";
    private const double TicksPerSecond = 100; // USER_HZ on Linux.

    public static MachineLoad? Snapshot()
    {
        if (!File.Exists(ProcStat))
        {
            return null;
        }

        // cpu user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines(ProcStat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        using var process = Process.GetCurrentProcess();
        return new MachineLoad(total - idle, total, process.TotalProcessorTime);
    }

    /// <summary>Share of the machine's CPU capacity that other processes used since <paramref name="before"/>, 0 to 1.</summary>
    public double OthersShareSince(MachineLoad before)
    {
        var total = TotalTicks - before.TotalTicks;
        if (total <= 0)
        {
            return 0;
        }

        var own = (OwnCpu - before.OwnCpu).TotalSeconds * TicksPerSecond;
        return Math.Clamp((BusyTicks - before.BusyTicks - own) / total, 0, 1);
    }
}
