using System.Text.Json.Nodes;
using AsyncFunctions.FlowControl;
using AsyncFunctions.FunctionStacks.FlowControl;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    /// <summary>The longest debounce period: a day.</summary>
    private const int MaxDebounceSeconds = 86_400;

    /// <summary>The document's <c>debounce</c>: <c>{ "periodSeconds": S, "key": "=..." }</c>, key optional.</summary>
    private DebounceRule? ReadDebounce(JsonObject document)
    {
        if (!document.TryGetPropertyValue("debounce", out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject debounce)
        {
            Problem("$.debounce", $"must be an object {{ \"periodSeconds\": S, \"key\": \"=...\" }}, not {JsonPaths.Describe(node)}");
            return null;
        }

        UnknownFields(debounce, "$.debounce", ["periodSeconds", "key"], "debounce");
        int? period = null;
        if (!JsonPaths.TryGetDecimal(debounce["periodSeconds"], out var seconds) || seconds < 1 || seconds > MaxDebounceSeconds || seconds != decimal.Truncate(seconds))
        {
            Problem("$.debounce.periodSeconds", $"must be a whole number of seconds from 1 to {MaxDebounceSeconds}");
        }
        else
        {
            period = (int)seconds;
        }

        var key = debounce.TryGetPropertyValue("key", out var keyNode) && keyNode is not null ? ReadFlowKey(keyNode, "$.debounce.key") : null;
        return period is { } s ? new DebounceRule(s, key) : null;
    }

    /// <summary>A flow key: a plain expression over <c>$input</c> and <c>$auth</c>, evaluated at every start.</summary>
    private StackFlowKey? ReadFlowKey(JsonNode node, string path)
    {
        if (!JsonPaths.TryGetString(node, out var text) || !text.StartsWith('=') || text.StartsWith("==", StringComparison.Ordinal))
        {
            Problem(path, $"must be an expression starting with '=' over $input and $auth, such as \"=$input.customerId\", not {JsonPaths.Describe(node)}");
            return null;
        }

        var read = new HashSet<string>(StringComparer.Ordinal);
        var script = ScriptCompiler.Expression(text[1..], path, _problems, read);
        if (script is null)
        {
            return null;
        }

        if (read.Count > 0 || text.Contains("$var", StringComparison.Ordinal) || text.Contains("$env", StringComparison.Ordinal))
        {
            Problem(path, "a key is evaluated when the execution starts, before any step: it may read $input and $auth only");
            return null;
        }

        if (!script.RunsInProcess)
        {
            Problem(path, "a key must be a plain expression (reads of $input and $auth combined with operators, no calls), as it is evaluated at every start");
            return null;
        }

        return new StackFlowKey(script);
    }
}
