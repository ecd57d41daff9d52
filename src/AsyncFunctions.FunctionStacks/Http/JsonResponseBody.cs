using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// The body of a response that says it is JSON. It becomes a JSON value only when that value
/// holds exactly what the text says; otherwise the step keeps the text and says why
/// (<see cref="Problem"/>), rather than failing or changing data on the way: a lone surrogate
/// (no string can hold it), a key given twice (one value would be lost), a number beyond a double
/// (it would become null or infinity) or an integer a double cannot hold exactly (digits would be
/// lost). A UTF-8 byte order mark is not content (RFC 8259 section 8.1) and is dropped.
/// </summary>
internal sealed class JsonResponseBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private JsonResponseBody(JsonNode? value, string? problem)
    {
        Value = value;
        Problem = problem;
    }

    /// <summary>The parsed value, or the text when <see cref="Problem"/> says why it is not JSON.</summary>
    public JsonNode? Value { get; }

    /// <summary>Why the body is kept as text (naming the JSON path), or null when it is JSON.</summary>
    public string? Problem { get; }

    public static JsonResponseBody Read(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        string text;
        if (encoding is UTF8Encoding)
        {
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            try
            {
                text = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return new(JsonValue.Create(Encoding.UTF8.GetString(bytes)), "the body is not valid UTF-8");
            }
        }
        else
        {
            text = encoding.GetString(bytes).TrimStart('\uFEFF');
        }

        if (Check(Encoding.UTF8.GetBytes(text)) is { } problem)
        {
            return new(JsonValue.Create(text), problem);
        }

        return new(JsonNode.Parse(text), null);
    }

    /// <summary>Reads the whole text once, keeping the path of each value: the first problem found, or null.</summary>
    private static string? Check(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        var frames = new Stack<Frame>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        frames.Push(new Frame(PathOf(frames, property), reader.TokenType == JsonTokenType.StartArray));
                        property = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        Advance(frames);
                        break;
                    case JsonTokenType.PropertyName:
                        if (!TryGetString(ref reader, out property))
                        {
                            return $"a key at {frames.Peek().Path} holds a lone surrogate (an escape \\uD800-\\uDFFF without its pair)";
                        }

                        if (!frames.Peek().Keys.Add(property))
                        {
                            return $"the key at {JsonPaths.Property(frames.Peek().Path, property)} is given more than once";
                        }

                        break;
                    case JsonTokenType.String:
                        if (!TryGetString(ref reader, out _))
                        {
                            return $"the text at {PathOf(frames, property)} holds a lone surrogate (an escape \\uD800-\\uDFFF without its pair)";
                        }

                        Advance(frames);
                        break;
                    case JsonTokenType.Number:
                        if (NumberProblem(Encoding.UTF8.GetString(reader.ValueSpan)) is { } number)
                        {
                            return $"the number at {PathOf(frames, property)} {number}";
                        }

                        Advance(frames);
                        break;
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return $"the body is not valid JSON: {ex.Message}";
        }

        return null;
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    /// <summary>Numbers become doubles: one must hold the value, and an integer exactly.</summary>
    private static string? NumberProblem(string raw)
    {
        var value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            return $"({raw}) is beyond the range of a double";
        }

        var mantissa = raw.Split('e', 'E')[0];
        if (value == 0 && mantissa.Any(c => c is >= '1' and <= '9'))
        {
            return $"({raw}) is too small for a double and would become 0";
        }

        var isInteger = raw.IndexOfAny(['.', 'e', 'E']) < 0;
        if (isInteger && BigInteger.Parse(raw, CultureInfo.InvariantCulture) != new BigInteger(value))
        {
            return $"({raw}) is an integer a double cannot hold exactly (at most 2^53 is safe)";
        }

        return null;
    }

    private static string PathOf(Stack<Frame> frames, string? property)
    {
        if (frames.Count == 0)
        {
            return "body";
        }

        var frame = frames.Peek();
        return frame.IsArray
            ? string.Create(CultureInfo.InvariantCulture, $"{frame.Path}[{frame.Index}]")
            : JsonPaths.Property(frame.Path, property ?? "");
    }

    private static void Advance(Stack<Frame> frames)
    {
        if (frames.TryPeek(out var frame) && frame.IsArray)
        {
            frame.Index++;
        }
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Index { get; set; }

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
