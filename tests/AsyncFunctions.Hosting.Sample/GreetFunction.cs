using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Hosting.Sample;

/// <summary><c>sample.greet</c>: greets someone by name.</summary>
public sealed class GreetFunction : IAsyncFunction
{
    public const string Name = "sample.greet";

    public static void Declare(CodeFunctionRegistration function) => function
        .Describe("Greets someone by name.")
        .Input(new InputDeclaration { Name = "name", Type = InputType.Text, Required = true, MaxLength = 100 });

    public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        var name = context.Input["name"]!.GetValue<string>();
        return Task.FromResult<JsonNode?>(new JsonObject { ["greeting"] = $"Hello, {name}!" });
    }
}
