using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary>A function as the API shows it.</summary>
/// <param name="Definition">The stored document of a function stack; shown for one function, not in lists.</param>
public sealed record FunctionView(string Name, string Description, string Kind, int? Version, IReadOnlyList<InputDeclaration> Inputs, int Retries, double? TimeoutSeconds, JsonNode? Definition = null)
{
    public static FunctionView From(FunctionDescriptor function, JsonNode? definition = null) => new(
        function.Name,
        function.Description,
        function.Kind,
        function.Version,
        function.Inputs,
        function.Retry.MaxRetries,
        function.Timeout?.TotalSeconds,
        definition);
}
