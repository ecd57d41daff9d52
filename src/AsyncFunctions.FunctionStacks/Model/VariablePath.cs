namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>A parsed variable path such as <c>user.address.city</c> or <c>items[0].name</c>.</summary>
internal sealed class VariablePath(string text, string root, IReadOnlyList<object> segments)
{
    public string Text { get; } = text;

    public string Root { get; } = root;

    /// <summary>After the root: a string for a property, an int for an array index.</summary>
    public IReadOnlyList<object> Segments { get; } = segments;

    public static VariablePath? TryParse(string text)
    {
        var segments = new List<object>();
        var i = 0;
        var root = ReadName(text, ref i);
        if (root is null)
        {
            return null;
        }

        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                i++;
                var name = ReadName(text, ref i);
                if (name is null)
                {
                    return null;
                }

                segments.Add(name);
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0)
                {
                    return null;
                }

                var inner = text[(i + 1)..end];
                if (int.TryParse(inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
                {
                    segments.Add(index);
                }
                else if (inner.Length >= 2 && inner[0] == '"' && inner[^1] == '"')
                {
                    segments.Add(inner[1..^1]);
                }
                else
                {
                    return null;
                }

                i = end + 1;
            }
            else
            {
                return null;
            }
        }

        return new VariablePath(text, root, segments);
    }

    private static string? ReadName(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        return i > start && !char.IsAsciiDigit(text[start]) ? text[start..i] : null;
    }
}
