using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: one C# function starts 100 no-op children through its FunctionContext and
/// awaits them all. Makespan: from starting the parent to the parent's result being recorded.
/// </summary>
public sealed class FanOutScenario : IScenario
{
    public const string Title = "4. fan-out 100 + await-all";

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var platform = await context.OpenPlatformAsync().ConfigureAwait(false);
            await using (platform.ConfigureAwait(false))
            {
                var makespans = new List<double>();
                var starting = new List<double>();
                var awaiting = new List<double>();
                for (var sample = 0; sample < settings.FanOutSamples; sample++)
                {
                    var began = Clock.Now;
                    var id = await platform.StartAsync(BenchFunctionNames.FanOut, new JsonObject { ["count"] = settings.FanOutWidth }).ConfigureAwait(false);
                    var done = await platform.Completions.WaitForAsync(id, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                    if (!done.Succeeded)
                    {
                        throw new InvalidOperationException($"The fan-out failed: {done.Error}");
                    }

                    makespans.Add(Clock.Milliseconds(began, done.At));
                    starting.Add(done.Output!["startMs"]!.GetValue<double>());
                    awaiting.Add(done.Output!["awaitMs"]!.GetValue<double>());
                }

                var makespan = Spread.Of(makespans).Median;
                context.Add(Name, Metrics.Milliseconds("makespan"), Sides.Ours, makespan);
                context.Add(Name, Metrics.Milliseconds("of which starting the children"), Sides.Ours, Spread.Of(starting).Median);
                context.Add(Name, Metrics.Milliseconds("of which awaiting them"), Sides.Ours, Spread.Of(awaiting).Median);
                context.Log.WriteLine($"    rep {rep + 1}: makespan median {makespan:0.0} ms over {settings.FanOutSamples} fan-outs");
            }
        }

        context.Note(Name, $"Each repetition's figure is the median of {settings.FanOutSamples} fan-outs run one after another; children are started one by one.");
    }
}
