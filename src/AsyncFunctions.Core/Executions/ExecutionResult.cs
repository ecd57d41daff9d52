using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.Executions;

/// <summary>What await reports for one id.</summary>
public sealed record ExecutionResult(string Id, ExecutionStatus Status, JsonNode? Output, ExecutionError? Error)
{
    [JsonIgnore]
    public bool IsTerminal => Status.IsTerminal();
}
