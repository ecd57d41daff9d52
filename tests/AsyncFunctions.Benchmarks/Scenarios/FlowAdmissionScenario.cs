using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 13: what flow control costs. Admission cost: the same no-op function stack with and
/// without a concurrency limit it never reaches (100,000), on one host and one database, run in
/// turns (which goes first alternates): time per execution of a burst and results-table work per
/// execution. Admission delay: a function with a concurrency limit of 1 whose run sleeps 10 ms,
/// started many times at once; each hand-over's delay is the next execution's startedAt less the
/// previous one's completedAt (the release, the waiter's enqueue, a worker's fetch and start).
/// In-process on one host; across nodes (storages two hosts can share) on two hosts with workers.
/// </summary>
public sealed class FlowAdmissionScenario : IScenario
{
    public const string Title = "13. flow admission";
    public const string Unlimited = "bench.flow_unlimited";
    public const string Limited = "bench.flow_limited";
    public const string OneAtATime = "bench.flow_one";
    private const int HighLimit = 100_000;
    private const int RunMs = 10;

    public static readonly string[] Stacks =
    [
        $$"""{ "name": "{{Unlimited}}", "stack": [], "response": 1 }""",
        $$"""{ "name": "{{Limited}}", "concurrency": { "limit": {{HighLimit}} }, "stack": [], "response": 1 }""",
        $$"""{ "name": "{{OneAtATime}}", "concurrency": { "limit": 1 }, "stack": [ { "sleep": {{RunMs}} } ], "response": 1 }""",
    ];

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        var burst = settings.Repetitions <= 3 ? 200 : 1000;
        var handOvers = settings.Repetitions <= 3 ? 40 : 150;
        var probe = new HandOverProbe(OneAtATime);
        // Hangfire's global filters reach every host of this process (the hosts' filter providers include them).
        global::Hangfire.GlobalJobFilters.Filters.Add(probe, int.MinValue);
        try
        {
            await RunRepetitionsAsync(context, probe, burst, handOvers).ConfigureAwait(false);
        }
        finally
        {
            global::Hangfire.GlobalJobFilters.Filters.Remove(probe);
        }

        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"Admission cost: per repetition one host ({settings.WorkerCount} workers) runs a burst of {burst} no-op stack executions ({settings.Producers} producers, then drained) of the same stack without limits and with \"concurrency\": {{ \"limit\": {HighLimit} }} (never reached), in turns; the difference is what admission (one transaction on enqueue, one release on completion) adds. Work counts are the results table's, per execution, all its statements included."));
        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"Admission delay: {handOvers} starts at once of a stack with \"concurrency\": {{ \"limit\": 1 }} that sleeps {RunMs} ms; per hand-over, next startedAt - previous completedAt (the results row's timestamps, written on the node that ran each)."));
        context.Note(Name, "Split of a hand-over (p50 and mean of each step, ms): " + string.Join("; ", SplitSteps.Select(s => $"'{s.Name}': {s.Meaning}")) + ". The steps add up to the delay; 'after start' steps follow startedAt and are not in it.");
        context.Note(Name, context.Storage.SharedAcrossHosts
            ? "Two nodes: two hosts with workers on one database, in one process; a hand-over crosses nodes whenever the other host's worker fetches the waiter."
            : "Across nodes is not measured: this storage's job queue lives in one process.");
    }

    private static readonly (string Name, string Meaning, Func<HandOverProbe, ExecutionRecord, ExecutionRecord, DateTime?> From, Func<HandOverProbe, ExecutionRecord, ExecutionRecord, DateTime?> To, bool InDelay)[] SplitSteps =
    [
        ("holder lock+load", "the holder's completedAt to its Succeeded election (Hangfire's job lock taken, the job loaded)", (_, h, _) => h.CompletedAt?.UtcDateTime, (p, h, _) => p.At(h.Id, "elect Processing>Succeeded"), true),
        ("holder row", "its election to its Succeeded row written", (p, h, _) => p.At(h.Id, "elect Processing>Succeeded"), (p, h, _) => p.At(h.Id, "row Succeeded"), true),
        ("release", "the row to the slot released and handed to the waiter (observers up to FlowSlots)", (p, h, _) => p.At(h.Id, "row Succeeded"), (p, h, _) => p.At(h.Id, "released Succeeded"), true),
        ("wake call", "the release to the waiter's ChangeState(Enqueued, expected Waiting) call (the wake-up loop, its state read)", (p, h, _) => p.At(h.Id, "released Succeeded"), (p, _, w) => p.At(w.Id, "call Waiting>Enqueued"), true),
        ("waiter lock+load", "the call to the waiter's Enqueued election (its job lock, the job loaded)", (p, _, w) => p.At(w.Id, "call Waiting>Enqueued"), (p, _, w) => p.At(w.Id, "elect Waiting>Enqueued"), true),
        ("waiter admit+row", "the election to its Enqueued row written (admission finds the slot held, the row)", (p, _, w) => p.At(w.Id, "elect Waiting>Enqueued"), (p, _, w) => p.At(w.Id, "row Enqueued"), true),
        ("enqueue commit", "the Enqueued row to the ChangeState call's return (Hangfire's commit with the queue insert and NOTIFY, the lock's release)", (p, _, w) => p.At(w.Id, "row Enqueued"), (p, _, w) => p.At(w.Id, "return Waiting>Enqueued"), false),
        ("commit+fetch", "the Enqueued row to startedAt (Hangfire's commit, a worker woken and its fetch)", (p, _, w) => p.At(w.Id, "row Enqueued"), (_, _, w) => w.StartedAt?.UtcDateTime, true),
        ("after start: lock+load", "startedAt to the Processing election", (_, _, w) => w.StartedAt?.UtcDateTime, (p, _, w) => p.At(w.Id, "elect Enqueued>Processing"), false),
        ("after start: row", "the Processing election to its row", (p, _, w) => p.At(w.Id, "elect Enqueued>Processing"), (p, _, w) => p.At(w.Id, "row Processing"), false),
    ];

    private async Task RunRepetitionsAsync(ScenarioContext context, HandOverProbe probe, int burst, int handOvers)
    {
        var settings = context.Settings;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var platform = await context.OpenPlatformAsync(stacks: Stacks, configure: probe.AddTo).ConfigureAwait(false);
            await using (platform.ConfigureAwait(false))
            {
                // Unmeasured: the first runs compile the documents and jit the code.
                await BurstAsync(platform, Unlimited, 20, settings.Producers).ConfigureAwait(false);
                await BurstAsync(platform, Limited, 20, settings.Producers).ConfigureAwait(false);
                foreach (var function in rep % 2 == 0 ? new[] { Unlimited, Limited } : [Limited, Unlimited])
                {
                    var side = function == Unlimited ? "unlimited" : $"limited ({HighLimit:N0})";
                    var before = platform.Work is { } counter ? await counter.ReadAsync().ConfigureAwait(false) : null;
                    var ms = await BurstAsync(platform, function, burst, settings.Producers).ConfigureAwait(false);
                    context.Add(Name, Metrics.Milliseconds($"{side}: time per execution of a burst of {burst}"), Sides.Ours, ms / burst);
                    if (platform.Work is { } work && before is not null)
                    {
                        var after = await work.ReadAsync().ConfigureAwait(false);
                        for (var i = 0; i < work.Names.Count; i++)
                        {
                            if (!work.Names[i].StartsWith("commits", StringComparison.Ordinal))
                            {
                                context.Add(Name, Metrics.Work($"{side}: {work.Names[i]}"), Sides.Ours, (after[i] - before[i]) / (double)burst);
                            }
                        }
                    }

                    context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    rep {rep + 1} {side}: {ms / burst:0.000} ms per execution"));
                }

                await HandOverAsync(context, probe, "in-process", platform, handOvers, rep).ConfigureAwait(false);
            }

            if (context.Storage.SharedAcrossHosts)
            {
                var database = await context.Storage.NewDatabaseAsync().ConfigureAwait(false);
                try
                {
                    var first = await PlatformHost.StartAsync(context.Storage, database, settings.WorkerCount, stacks: Stacks, configure: probe.AddTo).ConfigureAwait(false);
                    await using (first.ConfigureAwait(false))
                    {
                        var second = await PlatformHost.StartAsync(context.Storage, database, settings.WorkerCount, stacks: Stacks, configure: probe.AddTo).ConfigureAwait(false);
                        await using (second.ConfigureAwait(false))
                        {
                            await HandOverAsync(context, probe, "two nodes", first, handOvers, rep).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    await context.Storage.ReleaseDatabaseAsync(database).ConfigureAwait(false);
                }
            }
        }

    }

    /// <summary>Starts <paramref name="count"/> executions from <paramref name="producers"/> tasks and waits for them all; returns the milliseconds from the first start to the last completion.</summary>
    private static async Task<double> BurstAsync(PlatformHost platform, string function, int count, int producers)
    {
        var target = platform.Completions.Count + count;
        var next = -1;
        var started = Clock.Now;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                await platform.StartAsync(function, []).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        await platform.Completions.WaitForCountAsync(target, TimeSpan.FromSeconds(300)).ConfigureAwait(false);
        var done = Clock.Now;
        if (platform.Completions.Failures != 0)
        {
            throw new InvalidOperationException($"{platform.Completions.Failures} executions failed in the burst of {function}.");
        }

        return Clock.Milliseconds(started, done);
    }

    private static async Task HandOverAsync(ScenarioContext context, HandOverProbe probe, string mode, PlatformHost starter, int count, int rep)
    {
        probe.Clear();
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add(await starter.StartAsync(OneAtATime, []).ConfigureAwait(false));
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30 + (count * 2));
        var records = new List<ExecutionRecord>();
        foreach (var id in ids)
        {
            while (true)
            {
                var record = await starter.GetRecordAsync(id).ConfigureAwait(false);
                if (record is { Status: ExecutionStatus.Succeeded })
                {
                    records.Add(record);
                    break;
                }

                if (record is { Status: ExecutionStatus.Failed or ExecutionStatus.Cancelled } || DateTimeOffset.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Execution {id} of {OneAtATime} ({mode}) ended {record?.Status.ToString() ?? "unseen"} instead of Succeeded.");
                }

                await Task.Delay(20).ConfigureAwait(false);
            }
        }

        var ordered = records.OrderBy(r => r.StartedAt).ToList();
        var delays = new List<double>();
        var overlaps = 0;
        for (var i = 1; i < ordered.Count; i++)
        {
            var gap = (ordered[i].StartedAt!.Value - ordered[i - 1].CompletedAt!.Value).TotalMilliseconds;
            if (gap < 0)
            {
                overlaps++;
            }

            delays.Add(Math.Max(0, gap));
        }

        var p = Percentiles.Of(delays);
        context.Add(Title, Metrics.Milliseconds($"{mode}: admission delay p50"), Sides.Ours, p.P50);
        context.Add(Title, Metrics.Milliseconds($"{mode}: admission delay p99"), Sides.Ours, p.P99);
        context.Add(Title, Metrics.Milliseconds($"{mode}: admission delay max"), Sides.Ours, p.Max);
        if (overlaps > 0)
        {
            context.Note(Title, string.Create(CultureInfo.InvariantCulture, $"{mode}, repetition {rep + 1}: {overlaps} of {delays.Count} hand-overs started before the previous completedAt (counted as 0 ms): completedAt is written after the release."));
        }

        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    rep {rep + 1} {mode}: admission delay p50 {p.P50:0.0} ms, p99 {p.P99:0.0} ms, max {p.Max:0.0} ms"));
        Split(context, probe, mode, ordered);
        var roundTrip = await RoundTripAsync(starter, "SELECT 1").ConfigureAwait(false);
        context.Add(Title, Metrics.Milliseconds($"{mode}: one database round trip (SELECT 1) p50, right after"), Sides.Ours, roundTrip);
        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      one round trip (SELECT 1) p50 {roundTrip:0.00} ms"));
        if (context.Storage.Name == "postgres")
        {
            // A transaction with an id commits with a WAL flush, as each write of the hand-over does.
            var commit = await RoundTripAsync(starter, "SELECT txid_current()").ConfigureAwait(false);
            context.Add(Title, Metrics.Milliseconds($"{mode}: one flushed commit (SELECT txid_current()) p50, right after"), Sides.Ours, commit);
            context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      one flushed commit p50 {commit:0.00} ms"));
        }
    }

    /// <summary>The median time of one trivial statement on an open connection of the results database, 31 times: what each of the hand-over's round trips (or commits) costs at least, under this load.</summary>
    private static async Task<double> RoundTripAsync(PlatformHost host, string sql)
    {
        var connection = await host.Dialect.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var times = new List<double>();
            for (var i = 0; i < 31; i++)
            {
                var command = connection.CreateCommand();
                await using (command.ConfigureAwait(false))
                {
                    command.CommandText = sql;
                    var started = Clock.Now;
                    await command.ExecuteScalarAsync().ConfigureAwait(false);
                    times.Add(Clock.Milliseconds(started, Clock.Now));
                }
            }

            return Percentiles.Of(times).P50;
        }
    }

    /// <summary>Each hand-over's delay split into its steps (<see cref="SplitSteps"/>): p50 and mean per step; the slowest hand-overs in the log.</summary>
    private static void Split(ScenarioContext context, HandOverProbe probe, string mode, List<ExecutionRecord> ordered)
    {
        var rows = new List<double[]>();
        for (var i = 1; i < ordered.Count; i++)
        {
            var (holder, waiter) = (ordered[i - 1], ordered[i]);
            var row = new double[SplitSteps.Length + 1];
            var complete = true;
            for (var s = 0; s < SplitSteps.Length && complete; s++)
            {
                var (from, to) = (SplitSteps[s].From(probe, holder, waiter), SplitSteps[s].To(probe, holder, waiter));
                complete = from is not null && to is not null;
                row[s] = complete ? (to!.Value - from!.Value).TotalMilliseconds : 0;
            }

            if (complete)
            {
                row[^1] = (waiter.StartedAt!.Value - holder.CompletedAt!.Value).TotalMilliseconds;
                rows.Add(row);
            }
        }

        if (rows.Count == 0)
        {
            context.Note(Title, $"{mode}: no hand-over was seen whole by the probe (no split).");
            return;
        }

        var line = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"      split ({rows.Count} hand-overs) p50/mean ms:"));
        for (var s = 0; s < SplitSteps.Length; s++)
        {
            var values = rows.Select(r => r[s]).ToList();
            var p50 = Percentiles.Of(values).P50;
            context.Add(Title, Metrics.Milliseconds($"{mode}: split p50, {SplitSteps[s].Name}"), Sides.Ours, p50);
            context.Add(Title, Metrics.Milliseconds($"{mode}: split mean, {SplitSteps[s].Name}"), Sides.Ours, values.Average());
            line.Append(CultureInfo.InvariantCulture, $" {SplitSteps[s].Name} {p50:0.0}/{values.Average():0.0};");
        }

        context.Log.WriteLine(line.ToString());
        foreach (var slow in rows.OrderByDescending(r => r[^1]).Take(3))
        {
            context.Log.WriteLine("      slow hand-over " + string.Join(" ", slow.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture))));
        }
    }
}
