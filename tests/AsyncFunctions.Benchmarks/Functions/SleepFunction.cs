using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Functions;

/// <summary>Waits <c>ms</c> milliseconds, so an await is registered well before the execution ends.</summary>
public sealed class SleepFunction : IAsyncFunction
{
    public static void Declare(CodeFunctionRegistration function) => function.Input("ms", InputType.Int, required: true);

    public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(context.Input["ms"]!.GetValue<int>(), cancellationToken).ConfigureAwait(false);
        return null;
    }
}
