using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>Small helpers for JSON paths and JSON values used while reading documents.</summary>
internal static class JsonPaths
{
    public static string Property(string path, string name) =>
        IsIdentifier(name) ? $"{path}.{name}" : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string path, int index) => $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]";

    public static bool IsIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static bool TryGetDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return node is JsonValue && node.GetValueKind() == JsonValueKind.Number &&
            decimal.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        value = "";
        return false;
    }

    public static bool TryGetBool(JsonNode? node, out bool value)
    {
        var kind = node?.GetValueKind();
        value = kind == JsonValueKind.True;
        return kind is JsonValueKind.True or JsonValueKind.False;
    }

    public static string Describe(JsonNode? node) => Inputs.JsonKinds.Describe(node);
}
