using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Server.Examples;

/// <summary><c>examples.fail</c>: fails with the given message.</summary>
public sealed class FailFunction : IAsyncFunction
{
    public const string Name = "examples.fail";

    public static void Declare(CodeFunctionRegistration function) => function
        .Describe("Fails with the given message (error code examples.failed).")
        .Input(new InputDeclaration { Name = "message", Type = InputType.Text, Required = true, MaxLength = 10_000 });

    public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
        throw new FunctionException("examples.failed", context.Input["message"]!.GetValue<string>());
}
