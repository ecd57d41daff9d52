using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>What await reports for one id.</summary>
public sealed record ExecutionResult(string Id, ExecutionStatus Status, JsonNode? Output, ExecutionError? Error)
{
    public bool IsTerminal => Status.IsTerminal();
}
