using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Functions;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// Carries values between JSON and one engine, held to <see cref="StackLimitOptions.JsDepth"/>:
/// depth is measured on the JSON text, without recursing, before either side builds the value.
/// </summary>
internal sealed class JsJson(Engine engine, StackLimitOptions limits, JsBuiltInLimits builtIns)
{
    private readonly StackLimitOptions _limits = limits;

    // One level more than allowed, so that the depth check, not the parser, reports it.
    private readonly JsonParser _parser = new(engine, limits.JsDepth + 2);
    private readonly Jint.Native.Json.JsonSerializer _serializer = new(engine);

    /// <summary>Only the variables a script reads are converted: big variables cost only the scripts that use them.</summary>
    public JsValue Subset(JsonObject variables, IReadOnlyList<string> names)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (var name in names)
            {
                if (variables.TryGetPropertyValue(name, out var value))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value, "$var." + name);
                }
            }

            writer.WriteEndObject();
        }

        return Parse(json.WrittenSpan, 1, "$var");
    }

    public JsValue ToJs(JsonNode? value, string name)
    {
        if (value is null)
        {
            return JsValue.Null;
        }

        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            Write(writer, value, name);
        }

        return Parse(json.WrittenSpan, 0, name);
    }

    private void Write(Utf8JsonWriter writer, JsonNode? value, string name)
    {
        try
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }
        catch (InvalidOperationException)
        {
            // The writer refuses values nested deeper than it supports.
            throw DepthExceeded(name);
        }
    }

    private JsValue Parse(ReadOnlySpan<byte> json, int wrapping, string name)
    {
        if (JsonDepth.Of(json) - wrapping > _limits.JsDepth)
        {
            throw DepthExceeded(name);
        }

        return _parser.Parse(json);
    }

    public JsonNode? ToJson(JsValue value, string path)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return null;
        }

        byte[] json;
        try
        {
            // Only objects can make far more text than they hold; a replacer that counts costs a call per value.
            var replacer = value.IsObject() ? builtIns.CountingReplacer(engine) : JsValue.Undefined;
            var text = _serializer.Serialize(value, replacer, JsValue.Undefined);
            if (text.IsUndefined())
            {
                return null;
            }

            json = System.Text.Encoding.UTF8.GetBytes(text.AsString());
        }
        catch (JavaScriptException ex) when (IsStackExhausted(ex))
        {
            throw DepthExceeded($"the value of {path}");
        }

        if (JsonDepth.Of(json) > _limits.JsDepth)
        {
            throw DepthExceeded($"the value of {path}");
        }

        return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = _limits.JsDepth + 1 });
    }

    private FunctionException DepthExceeded(string what) =>
        new(StackErrorCodes.LimitJsDepth, $"{what} is nested deeper than {_limits.JsDepth} arrays and objects (limit.js_depth).");

    /// <summary>The error Jint's stack guard raises when the native stack is nearly used up.</summary>
    public static bool IsStackExhausted(JavaScriptException ex) =>
        ex.Error.IsObject() && ex.Message == "Maximum call stack size exceeded";
}
