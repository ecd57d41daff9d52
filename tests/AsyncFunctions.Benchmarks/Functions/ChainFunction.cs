using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Functions;

/// <summary>While <c>depth</c> &gt; 0, starts itself with <c>depth - 1</c> and awaits that child.</summary>
public sealed class ChainFunction : IAsyncFunction
{
    public static void Declare(CodeFunctionRegistration function) => function.Input("depth", InputType.Int, required: true);

    public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        var depth = context.Input["depth"]!.GetValue<int>();
        if (depth <= 0)
        {
            return 0;
        }

        var child = await context.StartAsync(BenchFunctionNames.Chain, new JsonObject { ["depth"] = depth - 1 }, cancellationToken).ConfigureAwait(false);
        var outcome = await context.AwaitAsync([child], TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        var result = outcome.Results[0];
        return result.Status == Executions.ExecutionStatus.Succeeded
            ? result.Output!.GetValue<int>() + 1
            : throw new InvalidOperationException($"Chain child {child} ended {result.Status}.");
    }
}
