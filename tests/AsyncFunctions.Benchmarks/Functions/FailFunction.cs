using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Functions;

/// <summary>Always fails; registered with retries, so each execution makes several failed attempts.</summary>
public sealed class FailFunction : IAsyncFunction
{
    public const int Retries = 2;

    public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
        throw new FunctionException("bench.failed", "Failing on purpose.");
}
