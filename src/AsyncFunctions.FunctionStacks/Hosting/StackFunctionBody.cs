using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// Runs a compiled stack as the body of an execution. Run async, it suspends at an await whose
/// ids are not all finished and at a long sleep: its <see cref="StackState"/> becomes the
/// execution's checkpoint, and the run resumes from it later, in any process.
/// </summary>
public sealed class StackFunctionBody(CompiledFunction function, StackServices services, int? version = null) : IResumableFunctionBody
{
    public CompiledFunction Function => function;

    public async Task<JsonNode?> InvokeAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var interpreter = new StackInterpreter(function, services);
        var result = await interpreter.RunAsync(interpreter.Start(version, Auth(context.Execution.Caller)), context, suspendAtAwait: false, cancellationToken).ConfigureAwait(false);
        return result.Output;
    }

    public async Task<QueuedRun> RunAsync(FunctionContext context, string? checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var interpreter = new StackInterpreter(function, services);
        var state = checkpoint is null ? interpreter.Start(version, Auth(context.Execution.Caller)) : StackState.Deserialize(checkpoint);
        var result = await interpreter.RunAsync(state, context, context.CanSuspend, cancellationToken).ConfigureAwait(false);
        return result.Completed ? new QueuedRun(result.Output) : new QueuedRun(null, ToSuspension(result.State));
    }

    /// <summary><c>$auth</c>: the key name and role of the caller that started the tree of calls; <c>{}</c> when none is known.</summary>
    internal static JsonObject? Auth(ExecutionCaller? caller) =>
        caller is null ? null : new JsonObject { ["key"] = caller.Key, ["role"] = caller.Role };

    private static Suspension ToSuspension(StackState state)
    {
        var json = state.Serialize();
        if (state.Sleep is { } sleep)
        {
            return new Suspension(json, [], sleep.Until);
        }

        var pending = state.Await ?? throw new InvalidOperationException("A stack suspended with neither an await nor a sleep pending.");
        return new Suspension(json, pending.Ids.Distinct(StringComparer.Ordinal).ToArray(), pending.StartedAt + TimeSpan.FromSeconds(pending.TimeoutSeconds));
    }
}
