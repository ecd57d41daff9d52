using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>The flow fields of a document: <c>concurrency</c>, <c>holdWhileAwaiting</c> and <c>rateLimit</c>.</summary>
internal sealed partial class DocumentCompiler
{
    /// <summary>The largest limit, and the longest rate period in seconds (a day).</summary>
    private const int MaxLimit = 100_000;
    private const int MaxPeriodSeconds = 86_400;

    private FlowDeclaration ReadFlow(JsonObject document)
    {
        var limits = new List<(int Limit, CompiledScript? Key)>();
        if (document.TryGetPropertyValue("concurrency", out var concurrency) && concurrency is not null)
        {
            if (concurrency is JsonArray array)
            {
                if (array.Count == 0)
                {
                    Problem("$.concurrency", "must hold at least one limit { limit, key }");
                }

                for (var i = 0; i < array.Count; i++)
                {
                    if (ReadConcurrency(array[i], JsonPaths.Index("$.concurrency", i)) is { } limit)
                    {
                        limits.Add(limit);
                    }
                }
            }
            else if (ReadConcurrency(concurrency, "$.concurrency") is { } limit)
            {
                limits.Add(limit);
            }
        }

        var hold = false;
        if (document.TryGetPropertyValue("holdWhileAwaiting", out var holdNode) && holdNode is not null)
        {
            if (holdNode.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                Problem("$.holdWhileAwaiting", $"must be true or false, not {JsonPaths.Describe(holdNode)}");
            }
            else
            {
                hold = holdNode.GetValue<bool>();
                if (hold && limits.Count == 0)
                {
                    Problem("$.holdWhileAwaiting", "applies to concurrency limits; declare 'concurrency' too");
                }
            }
        }

        (int, int, CompiledScript?)? rate = null;
        if (document.TryGetPropertyValue("rateLimit", out var rateNode) && rateNode is not null)
        {
            if (rateNode is not JsonObject rateLimit)
            {
                Problem("$.rateLimit", "must be an object { limit, periodSeconds, key }");
            }
            else
            {
                UnknownFields(rateLimit, "$.rateLimit", ["limit", "periodSeconds", "key"], "a rate limit");
                var limit = ReadWhole(rateLimit["limit"], "$.rateLimit.limit", 1, MaxLimit);
                var period = ReadWhole(rateLimit["periodSeconds"], "$.rateLimit.periodSeconds", 1, MaxPeriodSeconds);
                var key = ReadKey(rateLimit, "$.rateLimit");
                if (limit is not null && period is not null)
                {
                    rate = (limit.Value, period.Value, key);
                }
            }
        }

        return new FlowDeclaration(limits, rate, hold);
    }

    private (int Limit, CompiledScript? Key)? ReadConcurrency(JsonNode? node, string path)
    {
        if (node is not JsonObject limit)
        {
            Problem(path, "must be an object { limit, key }");
            return null;
        }

        UnknownFields(limit, path, ["limit", "key"], "a concurrency limit");
        var value = ReadWhole(limit["limit"], path + ".limit", 1, MaxLimit);
        var key = ReadKey(limit, path);
        return value is null ? null : (value.Value, key);
    }

    private int? ReadWhole(JsonNode? node, string path, int min, int max)
    {
        if (!JsonPaths.TryGetDecimal(node, out var value) || value < min || value > max || value != decimal.Truncate(value))
        {
            Problem(path, $"must be a whole number from {min} to {max}");
            return null;
        }

        return (int)value;
    }

    /// <summary>An optional <c>key</c>: an <c>=expression</c> over <c>$input</c> and <c>$auth</c>.</summary>
    private CompiledScript? ReadKey(JsonObject owner, string ownerPath)
    {
        if (!owner.TryGetPropertyValue("key", out var node) || node is null)
        {
            return null;
        }

        var path = ownerPath + ".key";
        if (!JsonPaths.TryGetString(node, out var text) || !text.StartsWith('=') || text.Length < 2)
        {
            Problem(path, "must be an expression text starting with '=', e.g. \"=$input.customerId\"");
            return null;
        }

        var source = text[1..];
        if (source.Contains("$var", StringComparison.Ordinal) || source.Contains("$env", StringComparison.Ordinal))
        {
            Problem(path, "a key is computed when the execution starts, before any step: it may read only $input and $auth");
            return null;
        }

        return ScriptCompiler.Expression(source, path, _problems, new HashSet<string>(StringComparer.Ordinal));
    }
}
