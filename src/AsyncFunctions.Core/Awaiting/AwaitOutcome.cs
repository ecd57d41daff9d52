using AsyncFunctions.Executions;

namespace AsyncFunctions.Awaiting;

/// <summary>
/// The answer to an await: one result per requested id, in request order. <see cref="Completed"/>
/// is false when the timeout passed first; pending results then carry their current status.
/// </summary>
public sealed record AwaitOutcome(bool Completed, IReadOnlyList<ExecutionResult> Results)
{
    public IEnumerable<ExecutionResult> Pending => Results.Where(r => !r.IsTerminal);
}
