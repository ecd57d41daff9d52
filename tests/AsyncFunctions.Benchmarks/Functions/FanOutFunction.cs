using System.Diagnostics;
using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Functions;

/// <summary>
/// Starts <c>count</c> no-op children, with one <see cref="FunctionContext.StartManyAsync(string, IEnumerable{JsonNode?}, CancellationToken)"/>
/// or (<c>oneByOne</c>) one <see cref="FunctionContext.StartAsync"/> after the other, then awaits
/// them all. Its output splits its own time into starting and awaiting, in milliseconds.
/// </summary>
public sealed class FanOutFunction : IAsyncFunction
{
    public static void Declare(CodeFunctionRegistration function) =>
        function.Input("count", InputType.Int, required: true).Input("oneByOne", InputType.Bool);

    public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        var count = context.Input["count"]!.GetValue<int>();
        var began = Stopwatch.GetTimestamp();
        IReadOnlyList<string> ids;
        if (context.Input["oneByOne"]?.GetValue<bool>() == true)
        {
            var each = new string[count];
            for (var i = 0; i < count; i++)
            {
                each[i] = await context.StartAsync(BenchFunctionNames.NoOp, new JsonObject(), cancellationToken).ConfigureAwait(false);
            }

            ids = each;
        }
        else
        {
            ids = await context.StartManyAsync(BenchFunctionNames.NoOp, Enumerable.Range(0, count).Select(_ => (JsonNode?)new JsonObject()), cancellationToken).ConfigureAwait(false);
        }

        var started = Stopwatch.GetTimestamp();
        var outcome = await context.AwaitAsync(ids, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        if (!outcome.Completed || outcome.Results.Any(r => r.Status != Executions.ExecutionStatus.Succeeded))
        {
            var unfinished = outcome.Results.Where(r => r.Status != Executions.ExecutionStatus.Succeeded).Take(5).Select(r => $"{r.Id} {r.Status}");
            throw new InvalidOperationException($"Not every child of the fan-out succeeded in time: {string.Join(", ", unfinished)}.");
        }

        return new JsonObject
        {
            ["startMs"] = Stopwatch.GetElapsedTime(began, started).TotalMilliseconds,
            ["awaitMs"] = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
        };
    }
}
