using System.Text.Json.Nodes;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.Contracts;

/// <summary>A function as the API shows it.</summary>
/// <param name="Definition">The stored document of a function stack; shown for one function, not in lists.</param>
public sealed record FunctionView(string Name, string Description, string Kind, int? Version, IReadOnlyList<InputDeclaration> Inputs, int Retries, double? TimeoutSeconds, JsonNode? Definition = null);
