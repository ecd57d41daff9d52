using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Schedules;
using AsyncFunctions.Schedules;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 12: 100 schedules firing every second (a no-op function) for a while, with Hangfire's
/// scheduler polling every second as in the shipped settings. The firing delay of each occurrence
/// is its execution's startedAt less its scheduledFor (the tick): the scheduler's poll, the
/// occurrence's creation and the queue wait together. Also how many ticks got an execution.
/// </summary>
public sealed class ScheduleFiringScenario : IScenario
{
    public const string Title = "12. schedule firing delay";
    private const int Schedules = 100;

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var seconds = context.Settings.Repetitions <= 3 ? 10 : 30;
        var platform = await context.OpenPlatformAsync(settings: new Dictionary<string, string?> { ["AsyncFunctions:Server:SchedulePollingInterval"] = "00:00:01" }).ConfigureAwait(false);
        await using (platform.ConfigureAwait(false))
        {
            var service = platform.Services.GetRequiredService<ScheduleService>();
            var names = Enumerable.Range(0, Schedules).Select(i => $"bench_every_second_{i:D3}").ToArray();
            foreach (var name in names)
            {
                await service.SaveAsync(new Schedule { Name = name, Function = BenchFunctionNames.NoOp, Input = [], Cron = "* * * * * *", Overlap = ScheduleOverlap.Allow }, null).ConfigureAwait(false);
            }

            var from = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
            var to = DateTimeOffset.UtcNow;
            foreach (var name in names)
            {
                await service.SetEnabledAsync(name, false, null).ConfigureAwait(false);
            }

            // The last occurrences finish.
            await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            var delays = new List<double>();
            var occurrences = 0;
            var unstarted = 0;
            foreach (var name in names)
            {
                var page = await platform.Store.ListAsync(new ExecutionQuery(Limit: ExecutionQuery.MaxLimit) { Schedule = name }).ConfigureAwait(false);
                foreach (var record in page.Items.Where(r => r.ScheduledFor >= from && r.ScheduledFor <= to))
                {
                    occurrences++;
                    if (record.StartedAt is { } started)
                    {
                        delays.Add((started - record.ScheduledFor!.Value).TotalMilliseconds);
                    }
                    else
                    {
                        unstarted++;
                    }
                }
            }

            var p = Percentiles.Of(delays);
            context.Add(Name, Metrics.Milliseconds("firing delay p50"), Sides.Ours, p.P50);
            context.Add(Name, Metrics.Milliseconds("firing delay p99"), Sides.Ours, p.P99);
            context.Add(Name, Metrics.Milliseconds("firing delay max"), Sides.Ours, p.Max);
            var ticks = Schedules * Math.Floor((to - from).TotalSeconds);
            context.Note(Name, $"{Schedules} schedules every second for {seconds} s: {occurrences} occurrences of about {ticks:F0} ticks ({100.0 * occurrences / Math.Max(1, ticks):F0}%), {unstarted} not started; delay = startedAt - scheduledFor.");
        }
    }
}
