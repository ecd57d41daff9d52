using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>How one run of a queued execution ended: with an output, or suspended.</summary>
public sealed record QueuedRun(JsonNode? Output, Suspension? Suspension = null)
{
    public bool IsSuspended => Suspension is not null;
}
