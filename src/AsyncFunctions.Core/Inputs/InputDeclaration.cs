using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.Inputs;

/// <summary>One declared input of a function, with its type and constraints.</summary>
public sealed record InputDeclaration
{
    public required string Name { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<InputType>))]
    public InputType Type { get; init; } = InputType.Any;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    /// <summary>A required input must be present (null counts as present only when <see cref="Nullable"/>).</summary>
    public bool Required { get; init; }

    public bool Nullable { get; init; }

    /// <summary>Used when the input is absent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Default { get; init; }

    /// <summary>Smallest allowed number (int, decimal).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Min { get; init; }

    /// <summary>Largest allowed number (int, decimal).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Max { get; init; }

    /// <summary>Shortest text or array.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MinLength { get; init; }

    /// <summary>Longest text or array.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxLength { get; init; }

    /// <summary>A regular expression the whole text must match.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Pattern { get; init; }

    /// <summary>The only values allowed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<JsonNode?>? Enum { get; init; }

    /// <summary>The type of each item, for arrays.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InputDeclaration? Items { get; init; }
}
