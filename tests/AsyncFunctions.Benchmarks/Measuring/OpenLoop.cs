using AsyncFunctions.Benchmarks.Hosting;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// Starts jobs on a fixed schedule (open loop) and measures each one from its planned start to
/// its recorded completion, so time spent queueing for a free request thread counts as latency.
/// </summary>
public static class OpenLoop
{
    public static async Task<Percentiles> MeasureAsync(IJobSide side, double ratePerSecond, double seconds, int threads, string? payload)
    {
        var count = Math.Max(20, (int)(ratePerSecond * seconds));
        var before = side.Completions.Count;
        var ids = new string[count];
        var planned = new long[count];

        LoadGenerator.Run(count, threads, ratePerSecond, (i, at) =>
        {
            planned[i] = at;
            ids[i] = side.Start(payload);
        });
        await BurnDown.WaitForAllAsync(side, before + count, ids).ConfigureAwait(false);
        await side.VerifyAsync(ids).ConfigureAwait(false);

        var latencies = new double[count];
        for (var i = 0; i < count; i++)
        {
            latencies[i] = Clock.Milliseconds(planned[i], side.Completions.Get(ids[i]).At);
        }

        return Percentiles.Of(latencies);
    }
}
