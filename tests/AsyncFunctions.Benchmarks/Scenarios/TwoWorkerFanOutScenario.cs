using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 10: a host with 2 workers, 50 function stacks started at once, each starting 5 async
/// children (a no-delay echo) and awaiting them all. Their awaits suspend, so the children get the
/// workers; makespan runs from the first start to the last parent's result. With
/// <c>SuspendWaits=false</c> the first two parents hold both workers while their children wait
/// behind the other parents: that attempt is given a bounded time and reported as stalled.
/// </summary>
public sealed class TwoWorkerFanOutScenario : IScenario
{
    public const string Title = "10. 2 workers: 50 parents x 5 children";

    public const string Parent = "bench.fan_out_five";

    private const int Workers = 2;
    private const int Parents = 50;
    private const int Children = 5;
    private const int Executions = Parents * (1 + Children);

    /// <summary>Job runs when every parent suspends once: each execution runs once, each parent once more after its resume.</summary>
    private const int JobRuns = Executions + Parents;

    public static readonly string[] Stacks =
    [
        $$"""
        { "name": "{{Parent}}", "inputs": [ { "name": "n", "type": "int", "required": true } ],
          "stack": [
            { "var": "ids", "value": [] },
            { "for": {{Children}}, "index": "i", "do": [
                { "call": "{{BenchFunctionNames.Echo}}", "async": true, "input": { "value": "=`${$input.n}.${$var.i}`" }, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" } ] },
            { "await": "=$var.ids", "timeoutSeconds": 600, "as": "outputs" } ],
          "response": "=$var.outputs.length" }
        """,
    ];

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        const int executions = Executions;
        var notSuspended = 0;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var platform = await OpenAsync(context, suspendWaits: true).ConfigureAwait(false);
            await using (platform.ConfigureAwait(false))
            {
                // One parent first, unmeasured, so the host's first stack run (document compiled, code jitted) is not in the makespan.
                var warmUp = await platform.StartAsync(Parent, new JsonObject { ["n"] = -1 }).ConfigureAwait(false);
                await platform.Completions.WaitForAsync(warmUp, TimeSpan.FromSeconds(300)).ConfigureAwait(false);

                var began = Clock.Now;
                var ids = await Task.WhenAll(Enumerable.Range(0, Parents).Select(n => platform.StartAsync(Parent, new JsonObject { ["n"] = n }))).ConfigureAwait(false);
                var started = Clock.Now;
                var latencies = new List<double>();
                var last = began;
                foreach (var id in ids)
                {
                    var done = await platform.Completions.WaitForAsync(id, TimeSpan.FromSeconds(300)).ConfigureAwait(false);
                    if (!done.Succeeded || done.Output?.GetValue<int>() != Children)
                    {
                        throw new InvalidOperationException($"A parent ended wrong: {done.Error ?? done.Output?.ToJsonString()}");
                    }

                    latencies.Add(Clock.Milliseconds(began, done.At));
                    last = Math.Max(last, done.At);
                }

                if (platform.Completions.Count != executions + 1 + Children || platform.Completions.Failures != 0)
                {
                    throw new InvalidOperationException($"{platform.Completions.Count} executions finished ({platform.Completions.Failures} failed); expected {executions + 1 + Children} succeeded, the warm-up's included.");
                }

                foreach (var id in ids)
                {
                    var record = await platform.GetRecordAsync(id).ConfigureAwait(false);
                    notSuspended += record?.Resumes == 1 ? 0 : 1;
                }

                var makespan = Clock.Milliseconds(began, last);
                var p = Percentiles.Of(latencies);
                context.Add(Name, Metrics.Milliseconds("makespan"), Sides.Ours, makespan);
                context.Add(Name, Metrics.Rate($"throughput ({executions} executions / makespan)"), Sides.Ours, executions / (makespan / 1000));
                context.Add(Name, Metrics.Milliseconds($"of which starting the {Parents} parents"), Sides.Ours, Clock.Milliseconds(began, started));
                context.Add(Name, Metrics.Milliseconds($"worker time per job run ({Workers} x makespan / {JobRuns})"), Sides.Ours, Workers * makespan / JobRuns);
                context.Add(Name, Metrics.Milliseconds("parent start-to-result p50"), Sides.Ours, p.P50);
                context.Add(Name, Metrics.Milliseconds("parent start-to-result max"), Sides.Ours, p.Max);
                context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    rep {rep + 1}: makespan {makespan:0.0} ms, {executions / (makespan / 1000):0} exec/s"));
            }
        }

        var stalled = await AttemptBlockingAsync(context).ConfigureAwait(false);

        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"{Workers} workers (whatever --workers says), a fresh host and database per repetition. The {Parents} parents are started at once from {Parents} concurrent calls; each is a function stack that starts {Children} async children (a C# echo without delay) one after another and awaits them all, so {executions} executions in all. " +
            $"Makespan: from the first start call to the last parent's result row being visible; throughput: {executions} executions divided by it. One unmeasured parent runs first on each host."));
        context.Note(Name, notSuspended == 0
            ? "Every parent suspended at its await and resumed exactly once (its record's resumes = 1)."
            : string.Create(CultureInfo.InvariantCulture, $"{notSuspended} of {Parents * settings.Repetitions} parents did not suspend (their children had all finished before the await looked)."));
        context.Note(Name, stalled);
    }

    /// <summary>The same load with SuspendWaits=false, given <see cref="BenchSettings.StallSeconds"/>; says what it did.</summary>
    private async Task<string> AttemptBlockingAsync(ScenarioContext context)
    {
        var seconds = context.Settings.StallSeconds;
        var platform = await OpenAsync(context, suspendWaits: false).ConfigureAwait(false);
        long parentsDone;
        long allDone;
        double stopping;
        try
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, Parents).Select(n => platform.StartAsync(Parent, new JsonObject { ["n"] = n }))).ConfigureAwait(false);
            var deadline = Clock.After(Clock.Now, seconds);
            while (Clock.Now < deadline && ids.Any(id => !platform.Completions.TryGet(id, out _)))
            {
                await Task.Delay(50).ConfigureAwait(false);
            }

            parentsDone = ids.Count(id => platform.Completions.TryGet(id, out _));
            allDone = platform.Completions.Count;
        }
        finally
        {
            // Stopping the host cancels the waiting parents (a worker's shutdown token ends its await).
            var stop = Clock.Now;
            await platform.DisposeAsync().ConfigureAwait(false);
            stopping = Clock.Seconds(stop, Clock.Now);
        }

        context.Add(Name, Count($"SuspendWaits=false: parents finished within {seconds:0} s"), Sides.Ours, parentsDone);
        return parentsDone == Parents
            ? string.Create(CultureInfo.InvariantCulture, $"With AsyncFunctions:Execution:SuspendWaits=false (awaits hold their worker) the same load finished within {seconds:0} s, against expectation.")
            : string.Create(CultureInfo.InvariantCulture,
                $"With AsyncFunctions:Execution:SuspendWaits=false (awaits hold their worker) the same load stalls: the first parents hold both workers while their children queue behind the other parents. After {seconds:0} s (once per storage, not repeated), {parentsDone} of {Parents} parents and {allDone} of {Executions} executions had finished; the host was then stopped ({stopping:0.0} s), which cancels the waits. Left alone, each await would end only at its 600 s timeout with await.workers_exhausted.");
    }

    private static Task<Hosting.PlatformHost> OpenAsync(ScenarioContext context, bool suspendWaits) =>
        context.OpenPlatformAsync(
            workerCount: Workers,
            stacks: Stacks,
            settings: new Dictionary<string, string?> { ["AsyncFunctions:Execution:SuspendWaits"] = suspendWaits ? "true" : "false" });

    private static Metric Count(string name) => new(name, "", HigherIsBetter: true);
}
