namespace AsyncFunctions.MultiNode.Tests;

/// <summary>What the timed tests print beside their figures.</summary>
internal static class Machine
{
    /// <summary>The one-minute load average (Linux), or "unknown".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
