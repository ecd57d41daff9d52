using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FlowControl;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Sandbox;

namespace AsyncFunctions.FunctionStacks.FlowControl;

/// <summary>
/// A flow key written in a function document (<c>"key": "=$input.customerId"</c>): an expression
/// over <c>$input</c> and <c>$auth</c>, evaluated at each start by the stacks' own engine. The
/// compiler accepts only a plain expression (reads and operators, see
/// <see cref="Compiling.PlainExpression"/>), which runs in this process in a realm of its own.
/// A text value is the key as it is; any other value is its JSON.
/// </summary>
internal sealed class StackFlowKey(CompiledScript script) : FlowKey
{
    private static readonly SandboxLimits Limits = new();

    public override string Source => "=" + script.Source;

    public override ValueTask<string> EvaluateAsync(FlowKeyContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var auth = context.Caller is { } caller ? new JsonObject { ["key"] = caller.Key, ["role"] = caller.Role }.ToJsonString() : "{}";
        using var realm = new JsRealm(Limits, guardBuiltIns: false, cancellationToken);
        var result = realm.Bind(context.Input.GetRawText(), "{}", auth) is { } bindError
            ? SandboxResult.Failed(bindError)
            : realm.Evaluate(in script.Prepared, script.Path, "{}");
        if (result.Error is { } error)
        {
            throw new StartRefusedException("input", $"the key {Source} of function '{context.Function}' ({script.Path}) could not be evaluated: {error.Message}");
        }

        var value = result.Json is null ? null : JsonNode.Parse(result.Json);
        return ValueTask.FromResult(value switch
        {
            null => "null",
            JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
            _ => value.ToJsonString(),
        });
    }
}
