using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    /// <summary>The longest debounce period: a day.</summary>
    private const int MaxDebounceSeconds = 86_400;

    /// <summary>
    /// The document's <c>debounce</c>: <c>{ "periodSeconds": S, "key": "=..." }</c>, key optional and
    /// read like a limit's key (<see cref="ReadKey"/>), so one evaluator serves every flow key.
    /// </summary>
    private (int PeriodSeconds, CompiledScript? Key)? ReadDebounce(JsonObject document)
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

        var key = ReadKey(debounce, "$.debounce");
        return period is { } s ? (s, key) : null;
    }
}
