using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>The execution service of the micro-benchmarks: their stacks never call, start or await other functions.</summary>
public sealed class NoExecutions : IExecutionService
{
    public static readonly NoExecutions Instance = new();

    public Task<ExecutionRecord> StartAsync(StartRequest request, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<ExecutionRecord> RunSyncAsync(StartRequest request, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<JsonNode?> RunAsync(StartRequest request, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<AwaitOutcome> AwaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default) => throw NotUsed();

    public Task<AwaitOutcome> AwaitFromExecutionAsync(ExecutionInfo caller, IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        throw NotUsed();

    public Task<QueuedRun> RunQueuedAsync(string executionId, CancellationToken cancellationToken = default) => throw NotUsed();

    private static NotSupportedException NotUsed() => new("The micro-benchmark stacks do not call, start or await other functions.");
}
