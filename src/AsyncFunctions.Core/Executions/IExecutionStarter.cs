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

    /// <summary>
    /// Queues every start of <paramref name="starts"/> and returns their records in the same
    /// order. Executions created before a failure still run; the failure is thrown (a starter
    /// that creates them concurrently tries every one first). This default queues them one by one.
    /// </summary>
    async Task<IReadOnlyList<ExecutionRecord>> EnqueueManyAsync(IReadOnlyList<ValidatedStart> starts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(starts);
        var records = new ExecutionRecord[starts.Count];
        for (var i = 0; i < starts.Count; i++)
        {
            records[i] = await EnqueueAsync(starts[i].Function, starts[i].Input, starts[i].Request, cancellationToken).ConfigureAwait(false);
        }

        return records;
    }
}
