namespace AsyncFunctions.Functions;

/// <summary>How often a failed execution is tried again and how long it waits between tries.</summary>
/// <param name="MaxRetries">Retries after the first attempt; 0 means a failure is final.</param>
/// <param name="DelaySeconds">Delay before each retry; the last value repeats. Empty means 1, 5, 30, 120 seconds.</param>
public sealed record RetryPolicy(int MaxRetries, IReadOnlyList<int> DelaySeconds)
{
    public static readonly RetryPolicy None = new(0, []);

    private static readonly int[] DefaultDelays = [1, 5, 30, 120];

    /// <summary>Delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        var delays = DelaySeconds.Count > 0 ? DelaySeconds : DefaultDelays;
        var index = Math.Clamp(retry - 1, 0, delays.Count - 1);
        return TimeSpan.FromSeconds(delays[index]);
    }
}
