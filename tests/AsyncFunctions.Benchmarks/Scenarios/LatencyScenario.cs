using System.Globalization;
using AsyncFunctions.Benchmarks.Measuring;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2: open-loop starts at 50% and 80% of our measured maximum completion rate, both
/// sides at the same offered rate; latency from the planned start to the result being recorded.
/// </summary>
public sealed class LatencyScenario : IScenario
{
    public const string Title = "2. open-loop latency (no-op)";

    public string Name => Title;

    public string? SkipReason(ScenarioContext context) =>
        context.MaxRate is not null ? null : "needs the maximum rate from the burn-down, which did not run.";

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        foreach (var fraction in settings.LoadFractions)
        {
            var rate = fraction * context.MaxRate!.Value;
            var load = Load(fraction);
            context.Note(Name, string.Create(CultureInfo.InvariantCulture, $"{load} = {rate:0} starts/s."));
            for (var rep = 0; rep < settings.Repetitions; rep++)
            {
                foreach (var kind in Sides.InOrder(rep))
                {
                    var side = await context.OpenSideAsync(kind).ConfigureAwait(false);
                    await using (side.ConfigureAwait(false))
                    {
                        var p = await OpenLoop.MeasureAsync(side, rate, settings.OpenLoopSeconds, settings.OpenLoopThreads, payload: null).ConfigureAwait(false);
                        Record(context, Name, load, kind, p);
                        context.Log.WriteLine($"    {load} rep {rep + 1} {kind,-4}: p50 {p.P50:0.00} ms, p99 {p.P99:0.00} ms, max {p.Max:0.0} ms ({p.Count} samples)");
                    }
                }
            }
        }

        context.Note(Name, $"{settings.OpenLoopSeconds:0.#} s per run, {settings.OpenLoopThreads} request threads; both sides get the same offered rate.");
    }

    public static string Load(double fraction) => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0}% load");

    public static void Record(ScenarioContext context, string scenario, string load, string kind, Percentiles p)
    {
        context.Add(scenario, Metrics.Latency(load, "p50"), kind, p.P50);
        context.Add(scenario, Metrics.Latency(load, "p95"), kind, p.P95);
        context.Add(scenario, Metrics.Latency(load, "p99"), kind, p.P99);
        context.Add(scenario, Metrics.Latency(load, "max"), kind, p.Max);
    }
}
