using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>Why an execution failed: the exception type, its message and a machine-readable code.</summary>
public sealed record ExecutionError(string Type, string Message, string Code, JsonNode? Data = null);
