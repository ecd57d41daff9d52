using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 9: what one suspend + resume of a function stack adds. A stack starts one async child
/// that sleeps 20 ms and awaits it; the same stack runs on a host whose awaits suspend (the
/// default: checkpoint, worker given back, resumed when the child finishes) and on a host with
/// <c>AsyncFunctions:Execution:SuspendWaits=false</c> (the parent waits in place on its worker).
/// Both pay the child's start and its 20 ms alike, so the difference of the parent's start-to-result
/// times is the suspend + resume. Also a durable sleep of 1,500 ms: how much later than 1,500 ms
/// after its start its result is recorded, resumed through Hangfire's scheduler.
/// </summary>
public sealed class SuspendResumeScenario : IScenario
{
    public const string Title = "9. suspend + resume cost";

    public const string Parent = "bench.await_child";
    public const string Sleeper = "bench.durable_sleep";

    /// <summary>
    /// The child's run time: long enough that the parent reaches its await before the child ends
    /// (an await whose ids already finished does not suspend), short beside a resume.
    /// </summary>
    private const int ChildMs = 20;

    private const int SleepMs = 1500;

    private const string Suspending = "suspending";
    private const string InPlace = "in place";

    public static readonly string[] Stacks =
    [
        $$"""
        { "name": "{{Parent}}",
          "stack": [
            { "call": "{{BenchFunctionNames.Sleep}}", "async": true, "input": { "ms": {{ChildMs}} }, "as": "id" },
            { "await": "=$var.id", "timeoutSeconds": 60, "as": "output" } ],
          "response": 1 }
        """,
        $$"""
        { "name": "{{Sleeper}}", "stack": [ { "sleep": {{SleepMs}} } ], "response": 1 }
        """,
    ];

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var notSuspended = 0;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var measured = new Dictionary<string, Run>();
            foreach (var mode in rep % 2 == 0 ? new[] { Suspending, InPlace } : [InPlace, Suspending])
            {
                var run = await MeasureAsync(context, mode).ConfigureAwait(false);
                measured[mode] = run;
                context.Add(Name, Metrics.Milliseconds($"{mode}: parent start-to-result p50"), Sides.Ours, run.Parents.P50);
                context.Add(Name, Metrics.Milliseconds($"{mode}: parent start-to-result p99"), Sides.Ours, run.Parents.P99);
                context.Add(Name, Metrics.Milliseconds($"{mode}: sleep {SleepMs:N0} ms, overshoot p50"), Sides.Ours, run.Sleeps.P50);
                context.Add(Name, Metrics.Milliseconds($"{mode}: sleep {SleepMs:N0} ms, overshoot max"), Sides.Ours, run.Sleeps.Max);
                foreach (var (name, perParent) in run.WorkPerParent)
                {
                    context.Add(Name, Count($"{mode}: {name} per parent"), Sides.Ours, perParent);
                }

                if (mode == Suspending)
                {
                    notSuspended += settings.SuspendSamples - run.Suspended;
                }

                context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    rep {rep + 1}, {mode}: parent p50 {run.Parents.P50:0.00} ms, p99 {run.Parents.P99:0.00} ms; sleep overshoot p50 {run.Sleeps.P50:0.0} ms, max {run.Sleeps.Max:0.0} ms; {run.Suspended} of {settings.SuspendSamples} parents resumed"));
            }

            var (on, off) = (measured[Suspending], measured[InPlace]);
            context.Add(Name, Metrics.Milliseconds("added by one suspend + resume: p50"), Sides.Ours, on.Parents.P50 - off.Parents.P50);
            context.Add(Name, Metrics.Milliseconds("added by one suspend + resume: p99"), Sides.Ours, on.Parents.P99 - off.Parents.P99);
            foreach (var (name, perParent) in on.WorkPerParent)
            {
                context.Add(Name, Count($"added by one suspend + resume: {name}"), Sides.Ours, perParent - off.WorkPerParent[name]);
            }
        }

        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"Per repetition and mode, {settings.SuspendSamples} parents run one after another on a fresh host ({settings.WorkerCount} workers) and database; which mode goes first alternates. A parent starts one async child (a C# function that sleeps {ChildMs} ms) and awaits it; start-to-result runs from the call that starts the parent to its result row being visible. " +
            $"\"suspending\" is the default: the parent saves its state, gives its worker back (status Awaiting) and is queued again when the child finishes. \"in place\" is the same stack on a host with AsyncFunctions:Execution:SuspendWaits=false: the parent holds its worker until the child ends. " +
            $"Both pay the child's start and its {ChildMs} ms alike, so the difference, taken per repetition, is what a suspend + resume adds. Percentiles are nearest-rank: below 100 samples p99 is the slowest."));
        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"The \"per suspend + resume\" database figures are per parent (each parent suspends and resumes once in the suspending mode): on the results table, read connections opened and write statements; on PostgreSQL also every commit in the database (Hangfire's included). No raw Hangfire column: Hangfire has no await to compare with."));
        context.Note(Name, notSuspended == 0
            ? "Every parent of the suspending mode resumed exactly once (its record's resumes = 1); no parent of the in-place mode resumed."
            : $"{notSuspended} parents of the suspending mode did not suspend (their child had finished before the await looked), so the added figures understate a suspend + resume.");
        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"Durable sleep: a stack whose one step is {{ \"sleep\": {SleepMs} }}; overshoot = start-to-result - {SleepMs} ms. {settings.SleepSamples} per mode and repetition, their starts spread evenly over one second (the scheduler's polling interval), at most one fewer at a time than there are workers. " +
            $"Suspending, the sleep (longer than SuspendSleepsLongerThanMilliseconds, 1,000 ms) puts the job in Hangfire's Scheduled state and Hangfire's scheduler queues it again: this harness keeps the server's default AsyncFunctions:Server:SchedulePollingInterval of 1 s, so up to 1 s of overshoot is the polling. In place, the sleep waits on its worker."));
    }

    private static async Task<Run> MeasureAsync(ScenarioContext context, string mode)
    {
        var settings = context.Settings;
        var platform = await context.OpenPlatformAsync(
            stacks: Stacks,
            settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:SuspendWaits"] = mode == Suspending ? "true" : "false" }).ConfigureAwait(false);
        await using (platform.ConfigureAwait(false))
        {
            // Two parents first, unmeasured: the host's first stack runs compile the document and jit the code.
            for (var i = 0; i < 2; i++)
            {
                await platform.StartAsync(Parent, []).ConfigureAwait(false);
            }

            await platform.Completions.WaitForCountAsync(4, TimeSpan.FromSeconds(60)).ConfigureAwait(false);

            var counter = platform.Work;
            var before = counter is null ? null : await counter.ReadAsync().ConfigureAwait(false);
            var ids = new List<string>();
            var latencies = new List<double>();
            for (var sample = 0; sample < settings.SuspendSamples; sample++)
            {
                var began = Clock.Now;
                var id = await platform.StartAsync(Parent, []).ConfigureAwait(false);
                var done = await platform.Completions.WaitForAsync(id, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                if (!done.Succeeded)
                {
                    throw new InvalidOperationException($"A parent ({mode}) failed: {done.Error}");
                }

                ids.Add(id);
                latencies.Add(Clock.Milliseconds(began, done.At));
            }

            var work = new Dictionary<string, double>();
            if (counter is not null)
            {
                var after = await counter.ReadAsync().ConfigureAwait(false);
                for (var i = 0; i < counter.Names.Count; i++)
                {
                    work[counter.Names[i]] = (after[i] - before![i]) / (double)settings.SuspendSamples;
                }
            }

            var sleeps = await SleepAsync(platform, settings, mode).ConfigureAwait(false);

            var resumed = 0;
            foreach (var id in ids)
            {
                var record = await platform.GetRecordAsync(id).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"No record of parent {id}.");
                if (mode == InPlace && record.Resumes != 0)
                {
                    throw new InvalidOperationException($"Parent {id} resumed {record.Resumes} times with SuspendWaits=false.");
                }

                resumed += record.Resumes == 1 ? 1 : 0;
            }

            return new Run(Percentiles.Of(latencies), Percentiles.Of(sleeps), work, resumed);
        }
    }

    /// <summary>Starts the sleepers spread over one second, so the scheduler's polling phase is sampled evenly; returns each one's overshoot.</summary>
    private static async Task<List<double>> SleepAsync(PlatformHost platform, BenchSettings settings, string mode)
    {
        var count = settings.SleepSamples;
        using var slots = new SemaphoreSlim(Math.Max(1, Math.Min(count, settings.WorkerCount - 1)));
        var epoch = Clock.Now;
        var overshoots = await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var at = Clock.After(epoch, i / (double)count);
            var wait = Clock.Milliseconds(Clock.Now, at);
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(wait)).ConfigureAwait(false);
            }

            await slots.WaitAsync().ConfigureAwait(false);
            try
            {
                var began = Clock.Now;
                var id = await platform.StartAsync(Sleeper, []).ConfigureAwait(false);
                var done = await platform.Completions.WaitForAsync(id, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                return done.Succeeded
                    ? Clock.Milliseconds(began, done.At) - SleepMs
                    : throw new InvalidOperationException($"A durable sleep ({mode}) failed: {done.Error}");
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        return [.. overshoots];
    }

    private static Metric Count(string name) => new(name, "", HigherIsBetter: false);

    private sealed record Run(Percentiles Parents, Percentiles Sleeps, Dictionary<string, double> WorkPerParent, int Suspended);
}
