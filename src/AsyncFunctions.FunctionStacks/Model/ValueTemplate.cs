using System.Text.Json.Nodes;

namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>A value of a document: a literal, an expression, or an object or array holding them.</summary>
internal abstract class ValueTemplate
{
    /// <summary>A literal whose value is known at compile time, or null when something must be evaluated.</summary>
    public virtual bool IsLiteral => false;
}

internal sealed class LiteralValue(JsonNode? value) : ValueTemplate
{
    public JsonNode? Value { get; } = value;

    public override bool IsLiteral => true;
}

internal sealed class ExpressionValue(CompiledScript script) : ValueTemplate
{
    public CompiledScript Script { get; } = script;
}

internal sealed class ObjectValue(IReadOnlyList<KeyValuePair<string, ValueTemplate>> properties) : ValueTemplate
{
    public IReadOnlyList<KeyValuePair<string, ValueTemplate>> Properties { get; } = properties;
}

internal sealed class ArrayValue(IReadOnlyList<ValueTemplate> items) : ValueTemplate
{
    public IReadOnlyList<ValueTemplate> Items { get; } = items;
}
