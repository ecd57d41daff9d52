using System.Text.Json;
using AsyncFunctions.Executions;

namespace AsyncFunctions.FlowControl;

/// <summary>
/// What a limit is counted per: an expression over the start's input and caller (a stack
/// document's <c>"=..."</c> text) or a C# delegate. The value is compared as text.
/// </summary>
public abstract class FlowKey
{
    /// <summary>How the key was declared, for the dashboard and errors (the expression text, or a description).</summary>
    public abstract string Source { get; }

    public abstract ValueTask<string> EvaluateAsync(FlowKeyContext context, CancellationToken cancellationToken);

    /// <summary>A key computed by C# code.</summary>
    public static FlowKey FromDelegate(string source, Func<FlowKeyContext, string> evaluate) => new DelegateFlowKey(source, evaluate);

    private sealed class DelegateFlowKey(string source, Func<FlowKeyContext, string> evaluate) : FlowKey
    {
        public override string Source => source;

        public override ValueTask<string> EvaluateAsync(FlowKeyContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(evaluate(context));
    }
}

/// <summary>What a flow key sees of a start.</summary>
public sealed record FlowKeyContext(string Function, JsonElement Input, ExecutionCaller? Caller);
