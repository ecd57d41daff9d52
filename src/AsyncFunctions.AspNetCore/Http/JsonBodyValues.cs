using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AsyncFunctions.AspNetCore.Http;

/// <summary>
/// What a parsed body may not hold, each refused with its JSON path: a name twice in one object
/// (readers disagree on which one counts), texts (names too) with an unpaired surrogate escape
/// such as <c>"\ud800"</c>, which cannot be written back as JSON later, and numbers beyond the
/// range of a double.
/// </summary>
internal static class JsonBodyValues
{
    private const int ShownNumberLength = 40;

    public static void Check(JsonElement root)
    {
        var path = new List<string>();
        Visit(root, path);
    }

    private static void Visit(JsonElement element, List<string> path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = ReadText(() => property.Name, path, "a name");
                    path.Add(NameSegment(name));
                    CheckText(name, path, "the name");
                    if (!names.Add(name))
                    {
                        throw Refused(path, "is a duplicate key: the name appears more than once in its object");
                    }

                    Visit(property.Value, path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add($"[{index++}]");
                    Visit(item, path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonValueKind.String:
                CheckText(ReadText(element.GetString, path, "the text")!, path, "the text");
                break;
            case JsonValueKind.Number when !element.TryGetDouble(out var number) || !double.IsFinite(number):
                var raw = element.GetRawText();
                var shown = raw.Length > ShownNumberLength ? raw[..ShownNumberLength] + "…" : raw;
                throw Refused(path, $"the number {shown} is beyond the range of a double (±{double.MaxValue.ToString("R", CultureInfo.InvariantCulture)})");
        }
    }

    /// <summary>Reads a text; System.Text.Json refuses some escapes only here.</summary>
    private static string ReadText(Func<string?> read, List<string> path, string what)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw Refused(path, $"{what} has an unpaired surrogate escape (\\ud800-\\udfff without its partner); texts must be valid Unicode");
        }
    }

    private static void CheckText(string text, List<string> path, string what)
    {
        if (FirstUnpairedSurrogate(text) is { } at)
        {
            throw Refused(path, $"{what} has an unpaired surrogate escape (\\u{(int)text[at]:x4} at character {at}); texts must be valid Unicode");
        }
    }

    private static int? FirstUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>The JSON path of a property of the body, such as <c>$.callbackUrl</c> or <c>$['odd name']</c>.</summary>
    public static string Path(IEnumerable<string> names) => "$" + string.Concat(names.Select(NameSegment));

    private static ApiProblemException Refused(List<string> path, string message)
    {
        var where = "$" + string.Concat(path);
        return new ApiProblemException(
            StatusCodes.Status400BadRequest,
            "The body has a value the API does not accept",
            $"{where}: {message}.",
            new Dictionary<string, string[]> { [where] = [message] });
    }

    /// <summary>A path segment that is safe to write back: unpaired surrogates are shown as their escapes.</summary>
    private static string NameSegment(string name)
    {
        var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (simple)
        {
            return "." + name;
        }

        var shown = new StringBuilder("['");
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                shown.Append(c).Append(name[++i]);
            }
            else if (char.IsSurrogate(c) || c is '\'' or '\\')
            {
                shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                shown.Append(c);
            }
        }

        return shown.Append("']").ToString();
    }
}
