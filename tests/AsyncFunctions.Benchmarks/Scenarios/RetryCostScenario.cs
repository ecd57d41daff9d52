using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 8: the database work of a failed attempt. Executions of a function that always fails,
/// with two retries and no delay, run to their final failure; the results table's counters are
/// divided by the attempts (three per execution). The retry decision itself reads no database:
/// what is left is the job's read of its input and the status writes.
/// </summary>
public sealed class RetryCostScenario : IScenario
{
    public const string Title = "8. failed attempts: database work";

    private const int Executions = 50;

    public string Name => Title;

    public string? SkipReason(ScenarioContext context) => null;

    public async Task RunAsync(ScenarioContext context)
    {
        const int attempts = Executions * (FailFunction.Retries + 1);
        for (var rep = 0; rep < context.Settings.Repetitions; rep++)
        {
            var platform = await context.OpenPlatformAsync().ConfigureAwait(false);
            await using (platform.ConfigureAwait(false))
            {
                if (platform.Work is not { } counter)
                {
                    context.Note(Name, "This storage's dialect could not be wrapped for counting; nothing to report.");
                    return;
                }

                var before = await counter.ReadAsync().ConfigureAwait(false);
                for (var i = 0; i < Executions; i++)
                {
                    await platform.StartAsync(BenchFunctionNames.Fail, new JsonObject()).ConfigureAwait(false);
                }

                await platform.Completions.WaitForCountAsync(Executions, TimeSpan.FromSeconds(120)).ConfigureAwait(false);
                var after = await counter.ReadAsync().ConfigureAwait(false);
                for (var i = 0; i < counter.Names.Count; i++)
                {
                    var perAttempt = (after[i] - before[i]) / (double)attempts;
                    context.Add(Name, new Metric(counter.Names[i] + " per failed attempt", "", HigherIsBetter: false), Sides.Ours, perAttempt);
                }

                context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    rep {rep + 1}: {string.Join(", ", counter.Names.Select((n, i) => $"{n} {(after[i] - before[i]) / (double)attempts:0.00}"))} per failed attempt"));
            }
        }

        context.Note(Name, string.Create(CultureInfo.InvariantCulture,
            $"{Executions} executions of a C# function that always fails, {FailFunction.Retries} retries without delay: {attempts} failed attempts; counts include starting them."));
    }
}
