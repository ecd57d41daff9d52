using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Model;

namespace AsyncFunctions.FunctionStacks.Compiling;

internal sealed partial class DocumentCompiler
{
    /// <summary>
    /// Compiles a value: "=js" is an expression, "==text" is the literal "=text", objects and
    /// arrays are walked. Reports variables read before any step creates them.
    /// </summary>
    private ValueTemplate Value(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonValue when JsonPaths.TryGetString(node, out var text) && text.StartsWith("==", StringComparison.Ordinal):
                return new LiteralValue(JsonValue.Create(text[1..]));
            case JsonValue when JsonPaths.TryGetString(node, out var text) && text.StartsWith('='):
                var read = new HashSet<string>(StringComparer.Ordinal);
                var script = ScriptCompiler.Expression(text[1..], path, _problems, read);
                CheckRead(read, path);
                return script is null ? new LiteralValue(null) : new ExpressionValue(script);
            case JsonObject obj:
                var properties = obj.Select(p => KeyValuePair.Create(p.Key, Value(p.Value, JsonPaths.Property(path, p.Key)))).ToList();
                return properties.TrueForAll(p => p.Value.IsLiteral)
                    ? new LiteralValue(new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, ((LiteralValue)p.Value).Value?.DeepClone()))))
                    : new ObjectValue(properties);
            case JsonArray array:
                var items = array.Select((item, i) => Value(item, JsonPaths.Index(path, i))).ToList();
                return items.TrueForAll(i => i.IsLiteral)
                    ? new LiteralValue(new JsonArray(items.Select(i => ((LiteralValue)i).Value?.DeepClone()).ToArray()))
                    : new ArrayValue(items);
            default:
                return new LiteralValue(node?.DeepClone());
        }
    }

    /// <summary>A condition: an expression or a literal bool. A plain text is almost always a forgotten '='.</summary>
    private ValueTemplate Condition(JsonNode? node, string path)
    {
        if (JsonPaths.TryGetString(node, out var text) && text.StartsWith('=') && !text.StartsWith("==", StringComparison.Ordinal))
        {
            return Value(node, path);
        }

        if (JsonPaths.TryGetBool(node, out _))
        {
            return new LiteralValue(node!.DeepClone());
        }

        Problem(path, $"a condition must be an expression starting with '=' or true/false, not {JsonPaths.Describe(node)}");
        return new LiteralValue(false);
    }

    /// <summary>A value that must be a number when it is a literal (expressions are checked when run).</summary>
    private ValueTemplate? OptionalNumber(JsonObject step, string path, string field, decimal min, decimal max)
    {
        if (!step.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        var value = Value(node, JsonPaths.Property(path, field));
        if (value is LiteralValue literal && (!JsonPaths.TryGetDecimal(literal.Value, out var number) || number < min || number > max))
        {
            Problem(JsonPaths.Property(path, field), $"must be a number from {min} to {max}, or an expression");
        }

        return value;
    }

    private ValueTemplate? OptionalValue(JsonObject step, string path, string field) =>
        step.TryGetPropertyValue(field, out var node) ? Value(node, JsonPaths.Property(path, field)) : null;

    private void CheckRead(IEnumerable<string> read, string path)
    {
        foreach (var name in read)
        {
            if (!_defined.Contains(name))
            {
                Problem(path, $"reads $var.{name} before any step creates the variable '{name}'");
            }
        }
    }

    private void Define(string? name)
    {
        if (name is not null)
        {
            _defined.Add(name);
        }
    }
}
