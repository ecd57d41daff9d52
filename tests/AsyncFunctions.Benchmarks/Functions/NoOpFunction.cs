using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Functions;

/// <summary>Does nothing: what is left is the platform's own cost.</summary>
public sealed class NoOpFunction : IAsyncFunction
{
    public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) => Task.FromResult<JsonNode?>(null);
}
