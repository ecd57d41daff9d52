namespace AsyncFunctions.Sandbox;

/// <summary>Measures how deep arrays and objects nest in JSON text, without parsing (and so without recursing).</summary>
internal static class JsonDepth
{
    /// <summary>The deepest nesting in valid UTF-8 JSON: <c>1</c> is 0, <c>[]</c> is 1, <c>[{}]</c> is 2.</summary>
    public static int Of(ReadOnlySpan<byte> json) => Of<byte>(json);

    /// <summary>The same for JSON held as text.</summary>
    public static int Of(ReadOnlySpan<char> json) => Of<char>(json);

    private static int Of<T>(ReadOnlySpan<T> json)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        T quote = T.CreateTruncating('"'), backslash = T.CreateTruncating('\\');
        T openArray = T.CreateTruncating('['), openObject = T.CreateTruncating('{');
        T closeArray = T.CreateTruncating(']'), closeObject = T.CreateTruncating('}');
        int depth = 0, deepest = 0;
        bool inString = false, escaped = false;
        foreach (var b in json)
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == backslash)
                {
                    escaped = true;
                }
                else if (b == quote)
                {
                    inString = false;
                }

                continue;
            }

            if (b == quote)
            {
                inString = true;
            }
            else if (b == openArray || b == openObject)
            {
                deepest = Math.Max(deepest, ++depth);
            }
            else if (b == closeArray || b == closeObject)
            {
                depth--;
            }
        }

        return deepest;
    }
}
