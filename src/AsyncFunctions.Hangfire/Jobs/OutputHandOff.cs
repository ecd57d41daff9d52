using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// Carries a job's output to the state filter that records <c>Succeeded</c>. The worker applies
/// that state in the same process right after the job returns, so the output is written with the
/// status in one statement and never copied into Hangfire's own storage.
/// </summary>
public sealed class OutputHandOff
{
    private readonly ConcurrentDictionary<string, JsonNode?> _outputs = new(StringComparer.Ordinal);

    public void Put(string executionId, JsonNode? output) => _outputs[executionId] = output;

    public JsonNode? Take(string executionId) => _outputs.TryRemove(executionId, out var output) ? output : null;

    /// <summary>Drops an output whose Succeeded state will never be applied (the job was deleted meanwhile).</summary>
    public void Discard(string executionId) => _outputs.TryRemove(executionId, out _);
}
