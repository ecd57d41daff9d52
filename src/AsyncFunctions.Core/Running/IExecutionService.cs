using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Running;

/// <summary>The operations on executions that the REST API and running functions share.</summary>
public interface IExecutionService
{
    /// <summary>
    /// Validates the request and queues it; returns the accepted execution. Throws
    /// <see cref="UnknownFunctionException"/>, <see cref="Inputs.InputValidationException"/> or
    /// <see cref="CallDepthExceededException"/> before anything is written.
    /// </summary>
    Task<ExecutionRecord> StartAsync(StartRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates and queues several requests at once, returning their records in the order of the
    /// requests. Every request is checked (function, input, call depth) and the tree's bound is
    /// counted for all of them together before anything is written: if any check fails, nothing is
    /// started. The requests must share one tree (<see cref="StartRequest.RootId"/>). This default
    /// starts them one by one; the execution service creates them concurrently.
    /// </summary>
    async Task<IReadOnlyList<ExecutionRecord>> StartManyAsync(IReadOnlyList<StartRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var records = new ExecutionRecord[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            records[i] = await StartAsync(requests[i], cancellationToken).ConfigureAwait(false);
        }

        return records;
    }

    /// <summary>Runs the request in the caller and returns the finished record (Succeeded or Failed).</summary>
    Task<ExecutionRecord> RunSyncAsync(StartRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs the request in the caller and returns its output; a failure throws <see cref="ExecutionFailedException"/>.</summary>
    Task<JsonNode?> RunAsync(StartRequest request, CancellationToken cancellationToken = default);

    Task<AwaitOutcome> AwaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Await on behalf of a running execution; detects a node whose workers all wait.</summary>
    Task<AwaitOutcome> AwaitFromExecutionAsync(ExecutionInfo caller, IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs an execution that a worker picked up, from its start or from its checkpoint. Returns
    /// its output, or its suspension (already saved); a failure throws <see cref="ExecutionFailedException"/>.
    /// </summary>
    Task<QueuedRun> RunQueuedAsync(string executionId, CancellationToken cancellationToken = default);
}
