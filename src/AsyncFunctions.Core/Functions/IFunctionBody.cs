using System.Text.Json.Nodes;
using AsyncFunctions.Running;

namespace AsyncFunctions.Functions;

/// <summary>
/// How a described function is run. C# classes and function stacks each provide one, so the
/// execution core runs both the same way.
/// </summary>
public interface IFunctionBody
{
    Task<JsonNode?> InvokeAsync(FunctionContext context, CancellationToken cancellationToken);
}
