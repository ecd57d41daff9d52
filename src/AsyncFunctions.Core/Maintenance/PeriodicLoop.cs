namespace AsyncFunctions.Maintenance;

/// <summary>
/// The loop of the background work every node does on a timer (the resume sweep, the sync-run
/// lease keeper, the retention purge): one round every interval until the host stops. A failed
/// round (database away) is reported and the next round tries again; nothing a round throws
/// stops the loop or the host.
/// </summary>
public static class PeriodicLoop
{
    /// <summary>
    /// Runs <paramref name="round"/> every <paramref name="interval"/> (on <paramref name="time"/>'s
    /// clock) until <paramref name="stoppingToken"/> fires; the first round at once when
    /// <paramref name="runAtStart"/>, else after one interval. Returns when stopped.
    /// </summary>
    public static async Task RunAsync(
        TimeSpan interval,
        TimeProvider time,
        bool runAtStart,
        Func<CancellationToken, Task> round,
        Action<Exception> roundFailed,
        CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(roundFailed);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            if (!runAtStart && !await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                return;
            }

            do
            {
                try
                {
                    await round(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed round is reported and tried again next round; it must not stop the host.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    roundFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
