using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.Running;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// Runs a compiled stack step by step on an explicit frame stack. All state lives in a
/// <see cref="StackState"/>; with <c>suspendAtAwait</c> the run stops at an await step and the
/// state, saved and loaded anywhere, resumes it.
/// </summary>
public sealed class StackInterpreter(CompiledFunction function, StackServices services)
{
    public CompiledFunction Function => function;

    /// <summary>A fresh state at the first step of the stack.</summary>
    public StackState Start(int? version = null, JsonObject? auth = null) => new()
    {
        Function = function.Name,
        FunctionVersion = version,
        Auth = (JsonObject?)auth?.DeepClone() ?? [],
        Frames = [new StackFrame { Kind = FrameKind.Block, Block = function.Root.Path }],
    };

    /// <summary>
    /// Runs until the stack finishes, or (when <paramref name="suspendAtAwait"/>) until an await
    /// step. A resumed state with a pending await first waits for it. Uncaught errors and limit
    /// breaches throw <see cref="AsyncFunctions.Functions.FunctionException"/> with their code.
    /// </summary>
    public async Task<StackRunResult> RunAsync(StackState state, FunctionContext context, bool suspendAtAwait = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);
        using var run = new StackRun(function, services, state, context, suspendAtAwait, cancellationToken);
        return await run.RunAsync().ConfigureAwait(false);
    }
}
