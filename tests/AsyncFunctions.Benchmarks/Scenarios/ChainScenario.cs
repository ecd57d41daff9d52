using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: a function that starts itself with depth - 1 and awaits the child, from depth 10
/// down to 0 (11 executions, 10 hops). Per hop: makespan / 10.
/// </summary>
public sealed class ChainScenario : IScenario
{
    public const string Title = "5. nested chain, depth 10";

    public string Name => Title;

    public string? SkipReason(ScenarioContext context) =>
        context.Settings.WorkerCount > context.Settings.ChainDepth ? null : "needs more workers than the chain is deep: every level holds one while it awaits.";

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var platform = await context.OpenPlatformAsync().ConfigureAwait(false);
            await using (platform.ConfigureAwait(false))
            {
                var makespans = new List<double>();
                for (var sample = 0; sample < settings.ChainSamples; sample++)
                {
                    var began = Clock.Now;
                    var id = await platform.StartAsync(BenchFunctionNames.Chain, new JsonObject { ["depth"] = settings.ChainDepth }).ConfigureAwait(false);
                    var done = await platform.Completions.WaitForAsync(id, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                    if (!done.Succeeded || done.Output?.GetValue<int>() != settings.ChainDepth)
                    {
                        throw new InvalidOperationException($"The chain ended wrong: {done.Error ?? done.Output?.ToJsonString()}");
                    }

                    makespans.Add(Clock.Milliseconds(began, done.At));
                }

                var makespan = Spread.Of(makespans).Median;
                context.Add(Name, Metrics.Milliseconds("makespan"), Sides.Ours, makespan);
                context.Add(Name, Metrics.Milliseconds("per hop"), Sides.Ours, makespan / settings.ChainDepth);
                context.Log.WriteLine($"    rep {rep + 1}: makespan median {makespan:0.0} ms, {makespan / settings.ChainDepth:0.00} ms per hop");
            }
        }

        context.Note(Name, $"Each repetition's figure is the median of {settings.ChainSamples} chains; every level holds a worker while it awaits (await does not checkpoint).");
    }
}
