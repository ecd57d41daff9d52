using AsyncFunctions.Functions;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Executions;

/// <summary>
/// Queues an execution. The Hangfire layer implements it: one job per execution, the job id
/// being the execution id.
/// </summary>
public interface IExecutionStarter
{
    /// <summary>Queues <paramref name="function"/> with an input that was already validated.</summary>
    Task<ExecutionRecord> EnqueueAsync(FunctionDescriptor function, JsonObject input, StartRequest request, CancellationToken cancellationToken);
}
