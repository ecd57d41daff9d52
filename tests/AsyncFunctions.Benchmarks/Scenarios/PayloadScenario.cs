using System.Globalization;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6: an echo of 1 KiB and 64 KiB strings (in as input, out as output): burn-down
/// throughput, then open-loop latency at 50% of our maximum for that size. Raw Hangfire runs a
/// job that takes the string as its argument and returns it, so it too stores it twice.
/// </summary>
public sealed class PayloadScenario : IScenario
{
    public const string Title = "6. payloads";

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        foreach (var bytes in settings.PayloadBytes)
        {
            var label = bytes >= 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024} KiB") : $"{bytes} B";
            var payload = new string('x', bytes);
            var count = context.PayloadCount(bytes);
            var ours = new List<double>();
            for (var rep = 0; rep < settings.Repetitions; rep++)
            {
                foreach (var kind in Sides.InOrder(rep))
                {
                    var side = await context.OpenSideAsync(kind).ConfigureAwait(false);
                    await using (side.ConfigureAwait(false))
                    {
                        var result = await BurnDown.MeasureAsync(side, count, settings.Producers, payload).ConfigureAwait(false);
                        context.Add(Name, Metrics.Rate($"{label}: completion rate"), kind, result.CompletedPerSecond);
                        if (kind == Sides.Ours)
                        {
                            ours.Add(result.CompletedPerSecond);
                        }

                        context.Log.WriteLine($"    {label} rep {rep + 1} {kind,-4}: completion {result.CompletedPerSecond,8:0}/s");
                    }
                }
            }

            var rate = 0.5 * Spread.Of(ours).Median;
            for (var rep = 0; rep < settings.Repetitions; rep++)
            {
                foreach (var kind in Sides.InOrder(rep))
                {
                    var side = await context.OpenSideAsync(kind).ConfigureAwait(false);
                    await using (side.ConfigureAwait(false))
                    {
                        var p = await OpenLoop.MeasureAsync(side, rate, settings.OpenLoopSeconds, settings.OpenLoopThreads, payload).ConfigureAwait(false);
                        context.Add(Name, Metrics.Latency($"{label} at 50% load", "p50"), kind, p.P50);
                        context.Add(Name, Metrics.Latency($"{label} at 50% load", "p99"), kind, p.P99);
                        context.Log.WriteLine($"    {label} 50% rep {rep + 1} {kind,-4}: p50 {p.P50:0.00} ms, p99 {p.P99:0.00} ms");
                    }
                }
            }

            context.Note(Name, string.Create(CultureInfo.InvariantCulture, $"{label}: {count:N0} executions per burn-down; latency at {rate:0} starts/s."));
        }
    }
}
