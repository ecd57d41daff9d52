using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: one function starts 100 no-op children and awaits them all, three ways: a C#
/// function with one <c>StartManyAsync</c> (the headline), the same C# function starting them one
/// by one, and a function stack whose <c>for</c> loop makes one async call per iteration (started
/// as one batch). Makespan: from starting the parent to the parent's result being recorded.
/// </summary>
public sealed class FanOutScenario : IScenario
{
    public const string Title = "4. fan-out 100 + await-all";

    public const string StackParent = "bench.fanout_stack";

    private static readonly string[] Stacks =
    [
        $$"""
        { "name": "{{StackParent}}", "inputs": [ { "name": "count", "type": "int", "required": true } ],
          "stack": [
            { "var": "ids", "value": [] },
            { "for": "=$input.count", "do": [
                { "call": "{{BenchFunctionNames.NoOp}}", "async": true, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" } ] },
            { "await": "=$var.ids", "timeoutSeconds": 120, "as": "outputs" } ],
          "response": "=$var.outputs.length" }
        """,
    ];

    public string Name => Title;

    public async Task RunAsync(ScenarioContext context)
    {
        var settings = context.Settings;
        for (var rep = 0; rep < settings.Repetitions; rep++)
        {
            var platform = await context.OpenPlatformAsync(stacks: Stacks).ConfigureAwait(false);
            await using (platform.ConfigureAwait(false))
            {
                // The first stack run compiles the document and jits the interpreter: not measured.
                await RunAsync(platform, StackParent, new JsonObject { ["count"] = 2 }).ConfigureAwait(false);
                var many = new Samples();
                var oneByOne = new Samples();
                var stack = new List<double>();
                for (var sample = 0; sample < settings.FanOutSamples; sample++)
                {
                    many.Add(await RunAsync(platform, BenchFunctionNames.FanOut, new JsonObject { ["count"] = settings.FanOutWidth }).ConfigureAwait(false));
                    oneByOne.Add(await RunAsync(platform, BenchFunctionNames.FanOut, new JsonObject { ["count"] = settings.FanOutWidth, ["oneByOne"] = true }).ConfigureAwait(false));
                    stack.Add((await RunAsync(platform, StackParent, new JsonObject { ["count"] = settings.FanOutWidth }).ConfigureAwait(false)).Makespan);
                }

                var makespan = Spread.Of(many.Makespans).Median;
                context.Add(Name, Metrics.Milliseconds("makespan"), Sides.Ours, makespan);
                context.Add(Name, Metrics.Milliseconds("of which starting the children"), Sides.Ours, Spread.Of(many.Starting).Median);
                context.Add(Name, Metrics.Milliseconds("of which awaiting them"), Sides.Ours, Spread.Of(many.Awaiting).Median);
                context.Add(Name, Metrics.Milliseconds("one by one: makespan"), Sides.Ours, Spread.Of(oneByOne.Makespans).Median);
                context.Add(Name, Metrics.Milliseconds("one by one: of which starting the children"), Sides.Ours, Spread.Of(oneByOne.Starting).Median);
                context.Add(Name, Metrics.Milliseconds("function stack, for loop of async calls: makespan"), Sides.Ours, Spread.Of(stack).Median);
                context.Log.WriteLine($"    rep {rep + 1}: makespan median {makespan:0.0} ms (one by one {Spread.Of(oneByOne.Makespans).Median:0.0} ms, stack {Spread.Of(stack).Median:0.0} ms) over {settings.FanOutSamples} fan-outs each");
            }

            var raw = await context.OpenSideAsync(Sides.Raw).ConfigureAwait(false);
            await using (raw.ConfigureAwait(false))
            {
                var makespans = new List<double>();
                for (var sample = 0; sample < settings.FanOutSamples; sample++)
                {
                    makespans.Add(await RawBatchAsync(raw, settings.FanOutWidth, settings.Producers).ConfigureAwait(false));
                }

                context.Add(Name, Metrics.Milliseconds("makespan"), Sides.Raw, Spread.Of(makespans).Median);
                context.Log.WriteLine($"    rep {rep + 1}: raw Hangfire, {settings.FanOutWidth} no-op jobs created and run: median {Spread.Of(makespans).Median:0.0} ms");
            }
        }

        context.Note(Name, $"Each repetition's figure is the median of {settings.FanOutSamples} fan-outs of each kind, run in turn. " +
            "The headline figures are a C# function calling FunctionContext.StartManyAsync once (the starts checked together, the jobs created concurrently on the job-creation threads); " +
            "'one by one' is the same function awaiting one StartAsync per child; the function stack's for loop of async calls is started as one batch by the interpreter, and the stack suspends at its await and resumes when the last child finishes. " +
            $"The raw column is raw Hangfire's floor for the same work on the same job storage: {settings.FanOutWidth} no-op jobs created from {settings.Producers} threads and run, from the first creation to the last completion, without a parent or an await.");
    }

    /// <summary>
    /// Raw Hangfire's floor for the same work: <paramref name="width"/> no-op jobs created from the
    /// producer threads and run by the same workers on the same job storage, from the first
    /// creation to the last completion. No parent and no await: only the jobs themselves.
    /// </summary>
    private static async Task<double> RawBatchAsync(Hosting.IJobSide raw, int width, int producers)
    {
        var before = raw.Completions.Count;
        var ids = new string[width];
        var began = Clock.Now;
        LoadGenerator.Run(width, producers, ratePerSecond: null, (i, _) => ids[i] = raw.Start(payload: null));
        await BurnDown.WaitForAllAsync(raw, before + width, ids).ConfigureAwait(false);
        return Clock.Milliseconds(began, ids.Max(id => raw.Completions.Get(id).At));
    }

    private static async Task<(double Makespan, JsonNode? Output)> RunAsync(Hosting.PlatformHost platform, string function, JsonObject input)
    {
        var began = Clock.Now;
        var id = await platform.StartAsync(function, input).ConfigureAwait(false);
        var done = await platform.Completions.WaitForAsync(id, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
        if (!done.Succeeded)
        {
            throw new InvalidOperationException($"The fan-out {function} failed: {done.Error}");
        }

        return (Clock.Milliseconds(began, done.At), done.Output);
    }

    private sealed class Samples
    {
        public List<double> Makespans { get; } = [];

        public List<double> Starting { get; } = [];

        public List<double> Awaiting { get; } = [];

        public void Add((double Makespan, JsonNode? Output) run)
        {
            Makespans.Add(run.Makespan);
            Starting.Add(run.Output!["startMs"]!.GetValue<double>());
            Awaiting.Add(run.Output!["awaitMs"]!.GetValue<double>());
        }
    }
}
