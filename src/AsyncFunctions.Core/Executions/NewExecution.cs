using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>The row written when an execution is accepted.</summary>
public sealed record NewExecution(
    string Id,
    string Function,
    int? FunctionVersion,
    ExecutionStatus Status,
    JsonObject Input,
    string? ParentId,
    DateTimeOffset CreatedAt,
    int CallDepth = 0);
