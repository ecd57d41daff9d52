using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Inputs;

/// <summary>The words error messages use for kinds of JSON values.</summary>
public static class JsonKinds
{
    /// <summary>"a text", "a number", "a bool", "an array", "an object" or "null".</summary>
    public static string Describe(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => "a text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a bool",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };
}
