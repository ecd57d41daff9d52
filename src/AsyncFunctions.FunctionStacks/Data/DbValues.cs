using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.FunctionStacks.Data;

/// <summary>Turns JSON parameter values into database values and database values into JSON.</summary>
internal static class DbValues
{
    public static object? ToParameter(JsonNode? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonArray array when array.All(i => i is null or JsonValue):
                return array.Select(ToParameter).ToArray();
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String:
                        return v.GetValue<string>();
                    case JsonValueKind.True:
                        return true;
                    case JsonValueKind.False:
                        return false;
                    case JsonValueKind.Number:
                        var text = v.ToJsonString();
                        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
                        {
                            return whole;
                        }

                        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                            ? number
                            : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                    default:
                        return null;
                }

            default:
                return value.ToJsonString();
        }
    }

    public static JsonNode? ToJson(object? value) => value switch
    {
        null or DBNull => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        short s => JsonValue.Create(s),
        byte b => JsonValue.Create(b),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        float f when float.IsFinite(f) => JsonValue.Create(f),
        double or float => null,
        decimal m => JsonValue.Create(m),
        DateTime t => JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        DateTimeOffset t => JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture)),
        Guid g => JsonValue.Create(g.ToString()),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
