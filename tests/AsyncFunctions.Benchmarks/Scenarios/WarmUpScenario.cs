using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Runs every code path once on both sides, then repeats short burn-downs until the JIT has settled,
/// so JIT compilation is not measured. Reports nothing.
/// </summary>
public sealed class WarmUpScenario : IScenario
{
    public string Name => "warm-up";

    public async Task RunAsync(ScenarioContext context)
    {
        foreach (var kind in Sides.InOrder(0))
        {
            var side = await context.OpenSideAsync(kind).ConfigureAwait(false);
            await using (side.ConfigureAwait(false))
            {
                var result = await BurnDown.MeasureAsync(side, 500, context.Settings.Producers, payload: null).ConfigureAwait(false);
                if (kind == Sides.Ours)
                {
                    context.WarmUpRate = result.CompletedPerSecond;
                }

                await BurnDown.MeasureAsync(side, 50, context.Settings.Producers, new string('x', 1024)).ConfigureAwait(false);
                await OpenLoop.MeasureAsync(side, 200, 0.2, context.Settings.OpenLoopThreads, payload: null).ConfigureAwait(false);
            }
        }

        var platform = await context.OpenPlatformAsync().ConfigureAwait(false);
        await using (platform.ConfigureAwait(false))
        {
            var fanOut = await platform.StartAsync(BenchFunctionNames.FanOut, new JsonObject { ["count"] = 10 }).ConfigureAwait(false);
            var chain = await platform.StartAsync(BenchFunctionNames.Chain, new JsonObject { ["depth"] = 2 }).ConfigureAwait(false);
            var sleep = await platform.StartAsync(BenchFunctionNames.Sleep, new JsonObject { ["ms"] = 5 }).ConfigureAwait(false);
            await platform.Executions.AwaitAsync([fanOut, chain, sleep], TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }

        await SettleJitAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// A method runs tier-0 code first and is compiled again, optimized, on a background thread once it
    /// has been called often enough and no new tier-0 code appeared for a while. After one pass that
    /// recompilation goes on for seconds and used up to half the CPU of the first measured repetitions
    /// (seen in a CPU profile), so burn-downs of both sides repeat, each followed by a pause, until a round
    /// compiles few methods. A round never compiles none: each host's new database brings statements
    /// of its own to compile, so "few" is a bound measured on the Redis topology (about 100 - 200
    /// methods per round once settled, thousands before).
    /// </summary>
    private static async Task SettleJitAsync(ScenarioContext context)
    {
        const int MaxRounds = 6;
        const int SettledBelow = 250;
        for (var round = 1; round <= MaxRounds; round++)
        {
            var compiled = 0L;
            var spent = TimeSpan.Zero;
            foreach (var kind in Sides.InOrder(round))
            {
                var side = await context.OpenSideAsync(kind).ConfigureAwait(false);
                await using (side.ConfigureAwait(false))
                {
                    // Counted from the first start to a pause after the last completion: a new host's own
                    // start-up compiles code too (a new database's statements, for one), which is not measured.
                    var methods = System.Runtime.JitInfo.GetCompiledMethodCount();
                    var time = System.Runtime.JitInfo.GetCompilationTime();
                    await BurnDown.MeasureAsync(side, 300, context.Settings.Producers, payload: null).ConfigureAwait(false);
                    await Task.Delay(TimeSpan.FromMilliseconds(300)).ConfigureAwait(false);
                    compiled += System.Runtime.JitInfo.GetCompiledMethodCount() - methods;
                    spent += System.Runtime.JitInfo.GetCompilationTime() - time;
                }
            }

            context.Log.WriteLine($"    warm-up round {round}: {compiled} methods compiled, {spent.TotalMilliseconds:0} ms of JIT");
            if (compiled < SettledBelow)
            {
                return;
            }
        }
    }
}
