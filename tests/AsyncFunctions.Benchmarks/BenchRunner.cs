using System.Diagnostics;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Micro;
using AsyncFunctions.Benchmarks.Reporting;
using AsyncFunctions.Benchmarks.Scenarios;

namespace AsyncFunctions.Benchmarks;

/// <summary>Runs the scenarios on each storage, then writes the report; returns the process exit code.</summary>
public static class BenchRunner
{
    private static readonly IScenario[] Measured =
    [
        new BurnDownScenario(),
        new LatencyScenario(),
        new AwaitWakeUpScenario(),
        new FanOutScenario(),
        new ChainScenario(),
        new PayloadScenario(),
        new ConcurrentClientsScenario(),
        new RetryCostScenario(),
        new SuspendResumeScenario(),
        new TwoWorkerFanOutScenario(),
        new CostBreakdownScenario(),
        new ScheduleFiringScenario(),
        new FlowAdmissionScenario(),
    ];

    public static async Task<int> RunAsync(BenchOptions options, string commandLine, string reportPath, TextWriter log)
    {
        foreach (var name in options.Storages)
        {
            if (StorageCatalog.Unavailable(name) is { } reason)
            {
                await Console.Error.WriteLineAsync(reason).ConfigureAwait(false);
                return 2;
            }
        }

        var settings = options.Quick ? BenchSettings.Quick : BenchSettings.Full;
        if (options.Workers is { } workers)
        {
            settings = settings with { WorkerCount = workers };
        }

        var scenarios = Measured.Where((_, i) => options.Only.Count == 0 || options.Only.Contains(i + 1)).ToArray();
        var results = new ResultSet();
        var storages = new List<(string Name, string Settings)>();
        var startedAt = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();

        foreach (var name in options.Storages)
        {
            var storage = await StorageCatalog.CreateAsync(name).ConfigureAwait(false);
            await using (storage.ConfigureAwait(false))
            {
                storages.Add((storage.Name, storage.Settings));
                var context = new ScenarioContext(storage, settings, results, log);
                await RunOneAsync(context, new WarmUpScenario(), record: false).ConfigureAwait(false);
                foreach (var scenario in scenarios)
                {
                    await RunOneAsync(context, scenario, record: true).ConfigureAwait(false);
                }
            }
        }

        var storageNames = storages.Select(s => s.Name).ToArray();
        var goals = Goals.Check(results, storageNames, settings.LoadFractions);
        var run = new RunInfo(
            commandLine,
            startedAt,
            total.Elapsed,
            settings,
            storages,
            scenarios.Select(s => s.Name).ToArray(),
            [.. StorageCatalog.NotMeasured(options.Storages), MicroRunner.NotInThisReport],
            MachineInfo.Current());

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
        var chart = SvgChart.Render(results, storageNames);
        var chartPath = Path.ChangeExtension(Path.GetFullPath(reportPath), ".svg");
        if (chart is not null)
        {
            await File.WriteAllTextAsync(chartPath, chart).ConfigureAwait(false);
        }

        await File.WriteAllTextAsync(reportPath, MarkdownReport.Render(run, results, goals, chart is null ? null : Path.GetFileName(chartPath))).ConfigureAwait(false);
        ConsoleSummary.Write(log, results, storageNames, run.Scenarios, goals);
        await log.WriteLineAsync($"\nReport written to {Path.GetRelativePath(Environment.CurrentDirectory, reportPath)} ({total.Elapsed.TotalMinutes:0.0} min).").ConfigureAwait(false);
        return results.Outcomes.Any(o => o.State == "failed") ? 1 : 0;
    }

    private static async Task RunOneAsync(ScenarioContext context, IScenario scenario, bool record)
    {
        var storage = context.Storage.Name;
        if (scenario.SkipReason(context) is { } skip)
        {
            context.Log.WriteLine($"[{storage}] {scenario.Name}: skipped, {skip}");
            if (record)
            {
                context.Results.Outcome(new ScenarioOutcome(storage, scenario.Name, "skipped", skip, TimeSpan.Zero));
            }

            return;
        }

        context.Log.WriteLine($"[{storage}] {scenario.Name}");
        var watch = Stopwatch.StartNew();
        var load = MachineLoad.Snapshot();
        try
        {
            await scenario.RunAsync(context).ConfigureAwait(false);
            if (record && load is not null && MachineLoad.Snapshot() is { } after)
            {
                context.Note(scenario.Name, $"Processes other than the benchmark (a database server among them) used {after.OthersShareSince(load):P0} of the machine's CPU meanwhile.");
            }

            if (record)
            {
                context.Results.Outcome(new ScenarioOutcome(storage, scenario.Name, "ran", null, watch.Elapsed));
            }
        }
#pragma warning disable CA1031 // A failed scenario is reported and fails the run; the others still run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            context.Log.WriteLine($"[{storage}] {scenario.Name} FAILED: {ex}");
            context.Results.Outcome(new ScenarioOutcome(storage, scenario.Name, "failed", $"{ex.GetType().Name}: {ex.Message}", watch.Elapsed));
        }
    }
}
