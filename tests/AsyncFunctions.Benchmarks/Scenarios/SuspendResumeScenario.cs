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
        var resumedAgain = 0;
        var uncounted = new SortedSet<string>(StringComparer.Ordinal);
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var measured = await MeasureAsync(context, rep, uncounted).ConfigureAwait(false);
            foreach (var (mode, run) in measured)
            {
                context.Add(Name, Metrics.Milliseconds($"{mode}: parent start-to-result p50"), Sides.Ours, run.Parents.P50);
                context.Add(Name, Metrics.Milliseconds($"{mode}: parent start-to-result p99"), Sides.Ours, run.Parents.P99);
                foreach (var (name, perParent) in run.WorkPerParent)
                {
                    context.Add(Name, Count($"{mode}: {name} per parent"), Sides.Ours, perParent);
                }

                if (mode == Suspending)
                {
                    notSuspended += settings.SuspendSamples - run.Suspended - run.ResumedAgain;
                    resumedAgain += run.ResumedAgain;
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

            foreach (var (mode, run) in measured)
            {
                context.Add(Name, Metrics.Milliseconds($"{mode}: sleep {SleepMs:N0} ms, overshoot p50"), Sides.Ours, run.Sleeps.P50);
                context.Add(Name, Metrics.Milliseconds($"{mode}: sleep {SleepMs:N0} ms, overshoot max"), Sides.Ours, run.Sleeps.Max);
            }
        }

        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"Per repetition, two fresh hosts ({settings.WorkerCount} workers each) on fresh databases run side by side: \"suspending\" with the defaults (the parent saves its state, gives its worker back, status Awaiting, and is queued again when its child finishes) and \"in place\" with AsyncFunctions:Execution:SuspendWaits=false (the same stack holds its worker until the child ends). " +
            $"A parent starts one async child (a C# function that sleeps {ChildMs} ms) and awaits it; start-to-result runs from the call that starts the parent to its result row being visible. {settings.SuspendSamples} parents per host run one at a time, alternating between the hosts (which goes first alternates too), after 2 unmeasured ones each. " +
            $"Both pay the child's start and its {ChildMs} ms alike, so the difference, taken per repetition, is what one suspend + resume adds. Percentiles are nearest-rank: below 100 samples p99 is the slowest."));
        context.Note(Name,
            "Database figures are per parent, counted around the measured parents only; each suspending parent suspends and resumes once, so the difference is the cost of one suspend + resume: on the results table, read connections opened and write statements. " +
            "No raw Hangfire column: Hangfire has no await to compare with.");
        if (uncounted.Count > 0)
        {
            context.Note(Name, string.Create(CultureInfo.InvariantCulture,
                $"Not reported here: {string.Join(", ", uncounted)} of the database. It counts every transaction, Hangfire's polling included, also while a host waits for the other's parent (they alternate), and grew by hundreds per parent, far more than a parent's own work: its difference between the hosts follows their run times, not the work of a suspend + resume."));
        }

        context.Note(Name, (notSuspended, resumedAgain) switch
        {
            (0, 0) => "Every measured parent of the suspending host resumed exactly once (its record's resumes = 1); none of the in-place host resumed.",
            _ => string.Create(CultureInfo.InvariantCulture,
                $"Of the {settings.SuspendSamples * settings.Repetitions} measured parents of the suspending host, {notSuspended} never suspended (resumes = 0: their child had finished before the await looked), which makes the added figures understate a suspend + resume, and {resumedAgain} resumed more than once (resumes > 1). None of the in-place host resumed."),
        });
        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"Durable sleep: a stack whose one step is {{ \"sleep\": {SleepMs} }}; overshoot = start-to-result - {SleepMs} ms. {settings.SleepSamples} per host and repetition, after the parents, on both hosts at once; their starts are spread evenly over one second (the scheduler's polling interval), at most one fewer at a time than there are workers. " +
            $"Suspending, the sleep (longer than SuspendSleepsLongerThanMilliseconds, 1,000 ms) puts the job in Hangfire's Scheduled state and Hangfire's scheduler queues it again. This harness keeps the server's default AsyncFunctions:Server:SchedulePollingInterval of 1 s. " +
            $"Hangfire compares schedule times in whole Unix seconds, so a poll may queue the job up to 1 s before its wake time (the resumed stack then waits the rest, under 1 s, on its worker) or up to one polling interval after it: the overshoot is between about 0 and 1 s, not the poll interval's average. In place, the sleep waits on its worker."));
    }

    /// <summary>One repetition: the two hosts side by side, parents alternating between them, then the sleeps on both at once.</summary>
    /// <param name="uncounted">Receives the names of counters left out (see the note).</param>
    private static async Task<Dictionary<string, Run>> MeasureAsync(ScenarioContext context, int rep, ISet<string> uncounted)
    {
        var settings = context.Settings;
        var modes = rep % 2 == 0 ? new[] { Suspending, InPlace } : [InPlace, Suspending];
        var hosts = new Dictionary<string, PlatformHost>();
        try
        {
            foreach (var mode in modes)
            {
                hosts[mode] = await context.OpenPlatformAsync(
                    stacks: Stacks,
                    settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:SuspendWaits"] = mode == Suspending ? "true" : "false" }).ConfigureAwait(false);
            }

            // Two parents first on each, unmeasured: a host's first stack runs compile the document and jit the code.
            foreach (var host in hosts.Values)
            {
                for (var i = 0; i < 2; i++)
                {
                    await RunParentAsync(host).ConfigureAwait(false);
                }
            }

            var before = new Dictionary<string, long[]?>();
            foreach (var (mode, host) in hosts)
            {
                before[mode] = host.Work is { } counter ? await counter.ReadAsync().ConfigureAwait(false) : null;
            }

            var ids = modes.ToDictionary(m => m, _ => new List<string>());
            var latencies = modes.ToDictionary(m => m, _ => new List<double>());
            for (var sample = 0; sample < settings.SuspendSamples; sample++)
            {
                foreach (var mode in sample % 2 == 0 ? modes : modes.Reverse())
                {
                    var (id, ms) = await RunParentAsync(hosts[mode]).ConfigureAwait(false);
                    ids[mode].Add(id);
                    latencies[mode].Add(ms);
                }
            }

            var work = modes.ToDictionary(m => m, _ => new Dictionary<string, double>());
            foreach (var (mode, host) in hosts)
            {
                if (host.Work is { } counter && before[mode] is { } counted)
                {
                    var after = await counter.ReadAsync().ConfigureAwait(false);
                    for (var i = 0; i < counter.Names.Count; i++)
                    {
                        // The database's own commit count (PostgreSQL) grows with time while the hosts' workers idle-poll, by
                        // hundreds per parent on a 2-core machine, so a difference of it says nothing about a suspend + resume.
                        if (counter.Names[i].StartsWith("commits", StringComparison.Ordinal))
                        {
                            uncounted.Add(counter.Names[i]);
                        }
                        else
                        {
                            work[mode][counter.Names[i]] = (after[i] - counted[i]) / (double)settings.SuspendSamples;
                        }
                    }
                }
            }

            var sleeps = await Task.WhenAll(modes.Select(m => SleepAsync(hosts[m], settings, m))).ConfigureAwait(false);

            var runs = new Dictionary<string, Run>();
            for (var m = 0; m < modes.Length; m++)
            {
                var mode = modes[m];
                var resumed = 0;
                var resumedAgain = 0;
                foreach (var id in ids[mode])
                {
                    var record = await hosts[mode].GetRecordAsync(id).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"No record of parent {id}.");
                    if (mode == InPlace && record.Resumes != 0)
                    {
                        throw new InvalidOperationException($"Parent {id} resumed {record.Resumes} times with SuspendWaits=false.");
                    }

                    resumed += record.Resumes == 1 ? 1 : 0;
                    resumedAgain += record.Resumes > 1 ? 1 : 0;
                }

                runs[mode] = new Run(Percentiles.Of(latencies[mode]), Percentiles.Of(sleeps[m]), work[mode], resumed, resumedAgain);
            }

            return runs;
        }
        finally
        {
            foreach (var host in hosts.Values)
            {
                await host.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Starts one parent and waits for its result; returns its id and start-to-result time.</summary>
    private static async Task<(string Id, double Ms)> RunParentAsync(PlatformHost host)
    {
        var began = Clock.Now;
        var id = await host.StartAsync(Parent, []).ConfigureAwait(false);
        var done = await host.Completions.WaitForAsync(id, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return done.Succeeded
            ? (id, Clock.Milliseconds(began, done.At))
            : throw new InvalidOperationException($"A parent failed: {done.Error}");
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

    private sealed record Run(Percentiles Parents, Percentiles Sleeps, Dictionary<string, double> WorkPerParent, int Suspended, int ResumedAgain);
}
