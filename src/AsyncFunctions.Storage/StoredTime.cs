namespace AsyncFunctions.Storage;

/// <summary>How the stores round the times they write.</summary>
internal static class StoredTime
{
    /// <summary>Every database keeps microseconds at least; rounding here makes all of them compare alike.</summary>
    public static DateTimeOffset Precise(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
