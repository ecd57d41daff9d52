using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// What <see cref="HangfireExecutionStarter"/> knows about an execution before Hangfire gives it
/// an id. It flows to the state filter through an async-local, so the filter can insert the
/// row inside Hangfire's creation, before the job can be fetched by any worker.
/// </summary>
public sealed record ExecutionDraft(string Function, int? FunctionVersion, JsonObject Input, string? ParentId, int CallDepth, DateTimeOffset CreatedAt)
{
    private static readonly AsyncLocal<ExecutionDraft?> Ambient = new();

    /// <summary>The draft of the job being created on this flow, if any.</summary>
    public static ExecutionDraft? Current => Ambient.Value;

    /// <summary>The row written for this draft, once the filter wrote it.</summary>
    public NewExecution? Written { get; set; }

    public static IDisposable Begin(ExecutionDraft draft)
    {
        Ambient.Value = draft;
        return new Scope();
    }

    public NewExecution ToNewExecution(string id) =>
        new(id, Function, FunctionVersion, ExecutionStatus.Enqueued, Input, ParentId, CreatedAt, CallDepth);

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Ambient.Value = null;
    }
}
