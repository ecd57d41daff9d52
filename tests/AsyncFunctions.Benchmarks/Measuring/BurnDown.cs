using AsyncFunctions.Benchmarks.Hosting;

namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// Starts <c>count</c> jobs as fast as the producer threads go, with the workers running, then
/// waits until all are done. Rates are counted from the first start: enqueue up to the last
/// start's return, completion up to the last recorded completion.
/// </summary>
public static class BurnDown
{
    public static async Task<Result> MeasureAsync(IJobSide side, int count, int producers, string? payload)
    {
        var before = side.Completions.Count;
        var work = side.Work is { } counter ? await counter.ReadAsync().ConfigureAwait(false) : null;
        var ids = new string[count];

        MeasuredWindows.Begin(side.Kind, count);
        var cost = ProcessCost.Now();
        var began = Clock.Now;
        LoadGenerator.Run(count, producers, ratePerSecond: null, (i, _) => ids[i] = side.Start(payload));
        var enqueued = Clock.Now;
        await WaitForAllAsync(side, before + count, ids).ConfigureAwait(false);
        var costPerExecution = ProcessCost.Now().PerItemSince(cost, count);
        MeasuredWindows.End(side.Kind, count);
        var lastCompletion = ids.Max(id => side.Completions.Get(id).At);

        double[]? perExecution = null;
        if (side.Work is { } after && work is not null)
        {
            var now = await after.ReadAsync().ConfigureAwait(false);
            perExecution = now.Zip(work, (a, b) => (a - b) / (double)count).ToArray();
        }

        await side.VerifyAsync(ids).ConfigureAwait(false);
        return new Result(count / Clock.Seconds(began, enqueued), count / Clock.Seconds(began, lastCompletion), perExecution, costPerExecution);
    }

    /// <summary>Waits for the completions; on a time-out, names the ids that did not complete and where each stands.</summary>
    public static async Task WaitForAllAsync(IJobSide side, long total, IReadOnlyList<string> ids)
    {
        try
        {
            await side.Completions.WaitForCountAsync(total, Timeout(ids.Count)).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            var missing = ids.Where(id => id is not null && !side.Completions.TryGet(id, out _)).Take(5).ToList();
            var described = new List<string>();
            foreach (var id in missing)
            {
                described.Add($"{id}: {await side.DescribeAsync(id).ConfigureAwait(false)}");
            }

            throw new TimeoutException($"{ex.Message} Not completed: {string.Join("; ", described)}", ex);
        }
    }

    public static TimeSpan Timeout(int count) => TimeSpan.FromSeconds(Math.Max(60, count / 20.0));

    /// <param name="WorkPerExecution">The side's work counters per execution, in the order of its names.</param>
    /// <param name="CostPerExecution">Process costs per execution, in the order of <see cref="ProcessCost.Names"/>.</param>
    public sealed record Result(double EnqueuePerSecond, double CompletedPerSecond, double[]? WorkPerExecution, double[] CostPerExecution);
}
