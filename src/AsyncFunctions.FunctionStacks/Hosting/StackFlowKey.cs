using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FlowControl;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.FunctionStacks.Runtime;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// A flow key of a function stack (a limit's or the debounce's <c>"key": "=..."</c>), evaluated by
/// the stack's expression engine over the start's <c>$input</c> and <c>$auth</c> (<c>$env</c> and
/// <c>$var</c> are empty): a plain expression in this process, any other in a sandbox process. A
/// text result is the key as it is; any other value is its JSON text. A failure throws; the caller
/// (<see cref="AdmissionTickets"/>, <see cref="DebounceKeys"/>) refuses the start naming the field.
/// </summary>
internal sealed class StackFlowKey(CompiledScript script, StackServices services) : FlowKey
{
    private static readonly JsonObject Empty = [];

    public override string Source => "=" + script.Source;

    public override async ValueTask<string> EvaluateAsync(FlowKeyContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = JsonNode.Parse(context.Input.GetRawText()) as JsonObject ?? [];
        var state = new StackState
        {
            Function = context.Function,
            Auth = StackFunctionBody.Auth(context.Caller) ?? [],
        };
        using var evaluator = new JsEvaluator(services.Options.Limits, input, Empty, state, services.Sandboxes, cancellationToken);
        var value = await evaluator.EvaluateAsync(script, Empty).ConfigureAwait(false);
        return value is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : value?.ToJsonString() ?? "null";
    }
}
