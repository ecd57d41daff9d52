using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>Runs a compiled stack as the body of an execution, from its first step to its response.</summary>
public sealed class StackFunctionBody(CompiledFunction function, StackServices services, int? version = null) : IFunctionBody
{
    public CompiledFunction Function => function;

    public async Task<JsonNode?> InvokeAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        var interpreter = new StackInterpreter(function, services);
        var result = await interpreter.RunAsync(interpreter.Start(version, Auth(context.Execution.Caller)), context, suspendAtAwait: false, cancellationToken).ConfigureAwait(false);
        return result.Output;
    }

    /// <summary><c>$auth</c>: the key name and role of the caller that started the tree of calls; <c>{}</c> when none is known.</summary>
    private static JsonObject? Auth(ExecutionCaller? caller) =>
        caller is null ? null : new JsonObject { ["key"] = caller.Key, ["role"] = caller.Role };
}
