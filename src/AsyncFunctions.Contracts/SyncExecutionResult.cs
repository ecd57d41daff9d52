using System.ComponentModel;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Contracts;

[Description("The output of an execution run inside the request (mode \"sync\") that succeeded.")]
public sealed record SyncExecutionResult(
    [property: Description("The execution's id; its record is at /api/executions/{id}.")] string Id,
    [property: Description("What the function returned.")] JsonNode? Output);
