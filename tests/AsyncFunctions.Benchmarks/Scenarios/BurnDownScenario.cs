using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1: N no-op executions started as fast as the producers go, then drained; ours and
/// raw Hangfire alternate per repetition. Sets the maximum rate the open-loop scenario uses.
/// </summary>
public sealed class BurnDownScenario : IScenario
{
    public const string Title = "1. burn-down (no-op)";

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var ours = new List<double>();
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            foreach (var kind in Sides.InOrder(rep))
            {
                var side = await context.OpenSideAsync(kind).ConfigureAwait(false);
                await using (side.ConfigureAwait(false))
                {
                    var result = await BurnDown.MeasureAsync(side, context.BurnDownCount, settings.Producers, payload: null).ConfigureAwait(false);
                    context.Add(Name, Metrics.Enqueued, kind, result.EnqueuePerSecond);
                    context.Add(Name, Metrics.Completed, kind, result.CompletedPerSecond);
                    if (result.WorkPerExecution is { } work && side.Work is { } counter)
                    {
                        for (var i = 0; i < work.Length; i++)
                        {
                            context.Add(Name, Metrics.Work(counter.Names[i]), kind, work[i]);
                        }
                    }

                    for (var i = 0; i < result.CostPerExecution.Length; i++)
                    {
                        context.Add(Name, Metrics.Work(ProcessCost.Names[i]), kind, result.CostPerExecution[i]);
                    }

                    if (kind == Sides.Ours)
                    {
                        ours.Add(result.CompletedPerSecond);
                    }

                    context.Log.WriteLine($"    rep {rep + 1} {kind,-4}: enqueue {result.EnqueuePerSecond,8:0}/s, completion {result.CompletedPerSecond,8:0}/s");
                }
            }
        }

        context.MaxRate = Spread.Of(ours).Median;
        context.Note(Name, $"N = {context.BurnDownCount:N0} per repetition, {settings.Producers} producer threads, workers running while enqueuing.");
    }
}
