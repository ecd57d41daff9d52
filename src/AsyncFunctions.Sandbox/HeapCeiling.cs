namespace AsyncFunctions.Sandbox;

/// <summary>
/// Lowers the runtime's heap limit, before each evaluation, to what the process holds plus the
/// evaluation's memory limit and a margin: an allocation past it fails at once with an
/// out-of-memory error, well below the ceiling the process was started with (which stays the bound
/// if the runtime refuses the change). Jint's own check counts every allocation of an evaluation
/// against the same limit, so a script within its limit never meets this one.
/// </summary>
/// <remarks>
/// Changing the limit makes the runtime reconfigure its collector (a few hundred microseconds), so
/// the process sets it while it waits for a request, with <see cref="Slack"/> to spare, and an
/// evaluation changes it only when the process grew past that since: a native call can then
/// allocate at most <see cref="Slack"/> more than the margin before it fails.
/// </remarks>
internal static class HeapCeiling
{
    private const long Margin = 32L * 1024 * 1024;
    private const long Slack = 16L * 1024 * 1024;

    /// <summary>
    /// The ceiling the process started with, read before the first change (the server sets it in the
    /// environment, which the runtime reports as the memory available to it, not in AppContext).
    /// </summary>
    private static readonly ulong Started = AppContext.GetData("GCHeapHardLimit") is ulong configured && configured != 0
        ? configured
        : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes is > 0 and var available ? (ulong)available : ulong.MaxValue;

    private static ulong _set;

    public static void Set(long memoryBytes)
    {
        var started = Started;
        var wanted = Math.Min(started, (ulong)(GC.GetTotalMemory(forceFullCollection: false) + memoryBytes + Margin));
        if (_set >= wanted && _set - wanted <= Slack)
        {
            return;
        }

        var limit = Math.Min(started, wanted + Slack);
        try
        {
            AppContext.SetData("GCHeapHardLimit", limit);
            GC.RefreshMemoryLimit();
            _set = limit;
        }
        catch (InvalidOperationException)
        {
            // The runtime keeps the ceiling it had.
        }
    }
}
