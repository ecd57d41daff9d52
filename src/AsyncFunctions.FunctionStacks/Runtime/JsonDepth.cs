namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>Measures how deep arrays and objects nest in JSON text, without parsing (and so without recursing).</summary>
internal static class JsonDepth
{
    /// <summary>The deepest nesting in valid UTF-8 JSON: <c>1</c> is 0, <c>[]</c> is 1, <c>[{}]</c> is 2.</summary>
    public static int Of(ReadOnlySpan<byte> json)
    {
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
                else if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'[' or (byte)'{':
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case (byte)']' or (byte)'}':
                    depth--;
                    break;
            }
        }

        return deepest;
    }
}
