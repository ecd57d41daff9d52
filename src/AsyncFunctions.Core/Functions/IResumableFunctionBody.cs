using AsyncFunctions.Executions;
using AsyncFunctions.Running;

namespace AsyncFunctions.Functions;

/// <summary>
/// A body that can stop at an await or a sleep and continue later from a saved state, possibly
/// in another process: function stacks. C# functions are plain <see cref="IFunctionBody"/>s, whose
/// awaits hold their worker.
/// </summary>
public interface IResumableFunctionBody : IFunctionBody
{
    /// <summary>
    /// Runs from the start (<paramref name="checkpoint"/> null) or from a saved state. It may
    /// suspend only when <see cref="FunctionContext.CanSuspend"/>; otherwise it waits in place.
    /// </summary>
    Task<QueuedRun> RunAsync(FunctionContext context, string? checkpoint, CancellationToken cancellationToken);
}
