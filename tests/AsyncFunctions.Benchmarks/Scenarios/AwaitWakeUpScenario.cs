using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Storages;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: an await of 10 executions that sleep 20 to 38 ms, called right after starting
/// them; wake-up is the time from the last one's completion (its result row written, or on
/// PostgreSQL its commit notification seen, whichever first) to the await returning. In-process: one host. Across nodes (storages that
/// two hosts can share): an API-only host (0 workers) starts and awaits, a worker host runs.
/// </summary>
public sealed class AwaitWakeUpScenario : IScenario
{
    public const string Title = "3. await wake-up";
    private const int Awaited = 10;

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var storage = context.Storage;
        var discarded = 0;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            foreach (var acrossNodes in storage.SharedAcrossHosts ? new[] { false, true } : [false])
            {
                var database = await storage.NewDatabaseAsync().ConfigureAwait(false);
                var watcher = await storage.WatchCommitsAsync(database).ConfigureAwait(false);
                try
                {
                    var worker = await PlatformHost.StartAsync(storage, database, settings.WorkerCount).ConfigureAwait(false);
                    await using (worker.ConfigureAwait(false))
                    {
                        if (!acrossNodes)
                        {
                            discarded += await MeasureAsync(context, "in-process", worker, worker, watcher, rep).ConfigureAwait(false);
                            continue;
                        }

                        var api = await PlatformHost.StartAsync(storage, database, workerCount: 0).ConfigureAwait(false);
                        await using (api.ConfigureAwait(false))
                        {
                            discarded += await MeasureAsync(context, "across nodes", api, worker, watcher, rep).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    if (watcher is not null)
                    {
                        await watcher.DisposeAsync().ConfigureAwait(false);
                    }

                    await storage.ReleaseDatabaseAsync(database).ConfigureAwait(false);
                }
            }
        }

        context.Note(Name, $"{settings.AwaitSamples} awaits of {Awaited} executions per repetition and mode; {discarded} samples discarded because an execution finished before the await was called.");
        if (!storage.SharedAcrossHosts)
        {
            context.Note(Name, "Across nodes is not measured: this storage's job queue lives in one process.");
        }
    }

    /// <summary>Returns how many samples were discarded.</summary>
    /// <param name="watcher">Sees commits from outside the hosts, where the database can tell; the earlier of its and the worker's timestamp is the completion.</param>
    private static async Task<int> MeasureAsync(ScenarioContext context, string mode, PlatformHost caller, PlatformHost runner, ICommitWatcher? watcher, int rep)
    {
        var wakeUps = new List<double>();
        var discarded = 0;
        var early = 0;
        for (var sample = 0; sample < context.Settings.AwaitSamples; sample++)
        {
            var ids = new string[Awaited];
            for (var i = 0; i < Awaited; i++)
            {
                ids[i] = await caller.StartAsync(BenchFunctionNames.Sleep, new JsonObject { ["ms"] = 20 + (2 * i) }).ConfigureAwait(false);
            }

            var called = Clock.Now;
            var outcome = await caller.Executions.AwaitAsync(ids, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            var returned = Clock.Now;
            if (!outcome.Completed)
            {
                throw new TimeoutException($"An await of {Awaited} short executions ({mode}) did not complete in 60 s.");
            }

            // The await may return before the worker thread publishes (a notification or the poll saw the
            // committed row first): wait for every publish, then count samples that still came early as 0.
            var last = long.MinValue;
            foreach (var id in ids)
            {
                last = Math.Max(last, await CompletedAtAsync(id, runner, watcher).ConfigureAwait(false));
            }

            if (last < called)
            {
                discarded++;
                continue;
            }

            if (returned < last)
            {
                early++;
            }

            wakeUps.Add(Math.Max(0, Clock.Milliseconds(last, returned)));
        }

        if (wakeUps.Count == 0)
        {
            throw new InvalidOperationException($"Every await sample ({mode}) was discarded: the executions finished before the await was called.");
        }

        var p = Percentiles.Of(wakeUps);
        context.Add(Title, Metrics.Milliseconds($"{mode}: p50"), Sides.Ours, p.P50);
        context.Add(Title, Metrics.Milliseconds($"{mode}: p95"), Sides.Ours, p.P95);
        context.Add(Title, Metrics.Milliseconds($"{mode}: max"), Sides.Ours, p.Max);
        if (early > 0)
        {
            context.Note(Title, $"{mode}, repetition {rep + 1}: {early} of {wakeUps.Count} awaits returned before their last completion was recorded (counted as 0 ms).");
        }

        context.Log.WriteLine($"    {mode} rep {rep + 1}: wake-up p50 {p.P50:0.000} ms, p95 {p.P95:0.000} ms, max {p.Max:0.0} ms");
        return discarded;
    }

    /// <summary>When <paramref name="id"/>'s result became visible: the worker's publish or, if seen earlier, the commit notification.</summary>
    private static async Task<long> CompletedAtAsync(string id, PlatformHost runner, ICommitWatcher? watcher)
    {
        var published = (await runner.Completions.WaitForAsync(id, TimeSpan.FromSeconds(10)).ConfigureAwait(false)).At;
        if (watcher is null)
        {
            return published;
        }

        var deadline = Clock.After(Clock.Now, 1);
        long seen;
        while (!watcher.TrySeen(id, out seen) && Clock.Now < deadline)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        return watcher.TrySeen(id, out seen) ? Math.Min(seen, published) : published;
    }
}
