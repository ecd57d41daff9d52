using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>Runs every code path once on both sides so JIT compilation is not measured. Reports nothing.</summary>
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
    }
}
