namespace AsyncFunctions.Sandbox;

/// <summary>
/// Lowers the runtime's heap limit, before each evaluation, to what the process holds plus the
/// evaluation's memory limit and a margin: an allocation past it fails at once with an
/// out-of-memory error, well below the ceiling the process was started with (which stays the bound
/// if the runtime refuses the change). Jint's own check counts every allocation of an evaluation
/// against the same limit, so a script within its limit never meets this one.
/// </summary>
internal static class HeapCeiling
{
    private const long Margin = 32L * 1024 * 1024;

    public static void Set(long memoryBytes)
    {
        var started = AppContext.GetData("GCHeapHardLimit") is ulong configured ? configured : ulong.MaxValue;
        var wanted = (ulong)(GC.GetTotalMemory(forceFullCollection: false) + memoryBytes + Margin);
        try
        {
            AppContext.SetData("GCHeapHardLimit", Math.Min(started, wanted));
            GC.RefreshMemoryLimit();
        }
        catch (InvalidOperationException)
        {
            // The runtime keeps the ceiling it had.
        }
    }
}
