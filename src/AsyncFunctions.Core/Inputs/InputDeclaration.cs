using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AsyncFunctions.Inputs;

/// <summary>One declared input of a function, with its type and constraints.</summary>
public sealed record InputDeclaration
{
    public required string Name { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<InputType>))]
    public InputType Type { get; init; } = InputType.Any;

    public string? Description { get; init; }

    /// <summary>A required input must be present (null counts as present only when <see cref="Nullable"/>).</summary>
    public bool Required { get; init; }

    public bool Nullable { get; init; }

    /// <summary>Used when the input is absent.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>Smallest allowed number (int, decimal).</summary>
    public decimal? Min { get; init; }

    /// <summary>Largest allowed number (int, decimal).</summary>
    public decimal? Max { get; init; }

    /// <summary>Shortest text or array.</summary>
    public int? MinLength { get; init; }

    /// <summary>Longest text or array.</summary>
    public int? MaxLength { get; init; }

    /// <summary>A regular expression the whole text must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>The only values allowed.</summary>
    public IReadOnlyList<JsonNode?>? Enum { get; init; }

    /// <summary>The type of each item, for arrays.</summary>
    public InputDeclaration? Items { get; init; }
}
