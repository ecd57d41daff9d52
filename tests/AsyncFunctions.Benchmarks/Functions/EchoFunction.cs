using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Functions;

/// <summary>Returns its input <c>value</c>, so a payload travels in as input and out as output.</summary>
public sealed class EchoFunction : IAsyncFunction
{
    public static void Declare(CodeFunctionRegistration function) => function.Input("value", InputType.Text, required: true);

    public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(context.Input["value"]?.DeepClone());
}
