using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Server.Examples;

/// <summary><c>examples.echo</c>: waits <c>delayMs</c>, then returns <c>value</c>.</summary>
public sealed class EchoFunction(TimeProvider time) : IAsyncFunction
{
    public const string Name = "examples.echo";

    public static void Declare(CodeFunctionRegistration function) => function
        .Describe("Returns its input 'value' after waiting 'delayMs' milliseconds.")
        .Input(new InputDeclaration { Name = "value", Type = InputType.Any, Required = true, Nullable = true, Description = "Any JSON value; returned as the output." })
        .Input(new InputDeclaration { Name = "delayMs", Type = InputType.Int, Min = 0, Max = 600_000, Default = 0, Description = "How long to wait first, in milliseconds." });

    public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        var delay = context.Input["delayMs"]?.GetValue<long>() ?? 0;
        if (delay > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), time, cancellationToken).ConfigureAwait(false);
        }

        return context.Input["value"]?.DeepClone();
    }
}
