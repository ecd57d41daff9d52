using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>
/// A status write, applied by the store under <see cref="ExecutionStatusRules.Supersedes"/>.
/// <see cref="Function"/> lets the store create a placeholder row when the change arrives
/// before the row itself; the placeholder is completed when <see cref="NewExecution"/> lands.
/// </summary>
public sealed record StatusChange(string Id, string Function, ExecutionStatus Status, DateTimeOffset At)
{
    public JsonNode? Output { get; init; }

    public ExecutionError? Error { get; init; }

    /// <summary>Set on <c>Processing</c>: a worker started an attempt.</summary>
    public bool StartsAttempt => Status == ExecutionStatus.Processing;
}
