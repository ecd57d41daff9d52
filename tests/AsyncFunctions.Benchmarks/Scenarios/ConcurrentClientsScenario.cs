using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 7: many clients at once, each starting a no-op execution and awaiting it, again and
/// again for a fixed time, as callers of the REST API's start and await do. Before the start path
/// stopped blocking thread-pool threads, 200 such clients starved the pool and nearly every await
/// timed out. Reports served round trips per second, p50/p99 of one start + await, and time-outs.
/// </summary>
public sealed class ConcurrentClientsScenario : IScenario
{
    public const string Title = "7. concurrent clients: start + await";

    private static readonly TimeSpan AwaitTimeout = TimeSpan.FromSeconds(30);

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var clients = settings.ConcurrentClients;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var platform = await context.OpenPlatformAsync().ConfigureAwait(false);
            await using (platform.ConfigureAwait(false))
            {
                var latencies = new ConcurrentBag<double>();
                var timedOut = 0;
                var failed = 0;
                var unavailable = 0;
                var errors = new ConcurrentBag<Exception>();
                var stopAt = Stopwatch.GetTimestamp() + (long)(settings.ConcurrentClientSeconds * Stopwatch.Frequency);
                var watch = Stopwatch.StartNew();
                var tasks = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
                {
                    while (Stopwatch.GetTimestamp() < stopAt)
                    {
                        var began = Stopwatch.GetTimestamp();
                        AwaitOutcome outcome;
                        try
                        {
                            var record = await platform.Executions.StartAsync(new StartRequest(BenchFunctionNames.NoOp, new JsonObject())).ConfigureAwait(false);
                            outcome = await platform.Executions.AwaitAsync([record.Id], AwaitTimeout).ConfigureAwait(false);
                        }
                        catch (Exception error) when (AsyncFunctions.Storage.TransientDatabaseFailure.IsTransient(error))
                        {
                            // What the REST API answers with 503 and Retry-After: 1; the client waits and goes on.
                            Interlocked.Increment(ref unavailable);
                            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                            continue;
                        }
                        catch (Exception error)
                        {
                            // What the REST API would answer with 500.
                            errors.Add(error);
                            continue;
                        }

                        if (!outcome.Completed)
                        {
                            Interlocked.Increment(ref timedOut);
                        }
                        else if (outcome.Results[0].Status != ExecutionStatus.Succeeded)
                        {
                            Interlocked.Increment(ref failed);
                        }
                        else
                        {
                            latencies.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                        }
                    }
                })).ToArray();
                await Task.WhenAll(tasks).ConfigureAwait(false);
                var elapsed = watch.Elapsed.TotalSeconds;

                context.Add(Name, Metrics.Rate($"{clients} clients: round trips served"), Sides.Ours, latencies.Count / elapsed);
                context.Add(Name, new Metric($"{clients} clients: await time-outs", "", HigherIsBetter: false), Sides.Ours, timedOut);
                context.Add(Name, new Metric($"{clients} clients: transient database failures (503)", "", HigherIsBetter: false), Sides.Ours, unavailable);
                context.Add(Name, new Metric($"{clients} clients: other errors (500)", "", HigherIsBetter: false), Sides.Ours, errors.Count);
                if (!latencies.IsEmpty)
                {
                    var p = Percentiles.Of(latencies);
                    context.Add(Name, Metrics.Latency($"{clients} clients: start + await", "p50"), Sides.Ours, p.P50);
                    context.Add(Name, Metrics.Latency($"{clients} clients: start + await", "p99"), Sides.Ours, p.P99);
                    context.Log.WriteLine($"    rep {rep + 1}: {latencies.Count / elapsed:0}/s served, p50 {p.P50:0.0} ms, p99 {p.P99:0.0} ms, {timedOut} time-outs, {failed} failed, {unavailable} transient database failures (503), {errors.Count} other errors (500)");
                }
                else
                {
                    context.Log.WriteLine($"    rep {rep + 1}: nothing served in {elapsed:0.0} s, {timedOut} time-outs, {failed} failed");
                }

                if (timedOut > 0 || failed > 0 || !errors.IsEmpty)
                {
                    throw new InvalidOperationException(
                        $"{timedOut} awaits timed out, {failed} executions failed and {errors.Count} calls threw with {clients} concurrent clients{(errors.IsEmpty ? "" : $"; first: {errors.First().Message}")}.");
                }
            }
        }

        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"{clients} clients, each starting a no-op and awaiting it (time-out {AwaitTimeout.TotalSeconds:0} s) in a loop for {settings.ConcurrentClientSeconds:0} s; in-process, through IExecutionService as the REST endpoints call it."));
    }
}
