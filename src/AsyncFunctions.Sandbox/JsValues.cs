using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// Carries values between JSON and one engine, held to <see cref="SandboxLimits.Depth"/>: depth is
/// measured on the JSON text, without recursing, before either side builds the value. A result
/// that JSON cannot hold (a function, a symbol, a promise, a generator, a Map or Set, an invalid
/// date) is a <c>js.result</c> error naming where in the value it is, not a silent <c>{}</c> or null.
/// </summary>
internal sealed class JsValues(Engine engine, SandboxLimits limits, JsBuiltInLimits? builtIns)
{
    // Engine types whose JSON would lose them silently.
    private static readonly HashSet<string> NotJson = new(StringComparer.Ordinal)
    {
        "JsPromise", "GeneratorInstance", "AsyncGeneratorInstance", "JsMap", "JsSet", "JsWeakMap", "JsWeakSet", "WeakRefInstance",
        "FinalizationRegistryInstance", "IteratorInstance", "ArrayIteratorPrototype", "ArrayIterator", "MapIterator", "SetIterator",
        "StringIterator", "RegExpStringIterator", "IteratorHelper", "WrapForValidIteratorPrototype",
    };

    // One level more than allowed, so that the depth check, not the parser, reports it.
    private readonly JsonParser _parser = new(engine, limits.Depth + 2);
    private readonly JsonSerializer _serializer = new(engine);

    public JsValue Parse(string json, int wrapping, string name)
    {
        if (JsonDepth.Of(json.AsSpan()) - wrapping > limits.Depth)
        {
            throw DepthExceeded(name);
        }

        return _parser.Parse(json);
    }

    public SandboxResult ToJson(JsValue value, string path)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return new SandboxResult(null, null);
        }

        byte[] json;
        try
        {
            var text = _serializer.Serialize(value, Checker(path), JsValue.Undefined);
            if (text.IsUndefined())
            {
                throw NotJsonAt(path, Describe(value));
            }

            json = System.Text.Encoding.UTF8.GetBytes(text.AsString());
        }
        catch (JavaScriptException ex) when (IsStackExhausted(ex))
        {
            throw DepthExceeded($"the value of {path}");
        }

        if (JsonDepth.Of(json) > limits.Depth)
        {
            throw DepthExceeded($"the value of {path}");
        }

        return new SandboxResult(json, null);
    }

    /// <summary>
    /// A replacer that names the place of each value, refuses what JSON cannot hold and counts the
    /// text a value will make, stopping it at the memory left before the serializer builds it in
    /// pooled memory the engine's limit does not see.
    /// </summary>
    private ClrFunction Checker(string root)
    {
        var budget = builtIns is null ? long.MaxValue : builtIns.Remaining / 2;
        long characters = 0;
        // Each object seen, with where it was found; a place is spelled out only for an error, so
        // that deep values cost no more than their size.
        var seen = new Dictionary<ObjectInstance, Found>(ReferenceEqualityComparer.Instance);
        return new ClrFunction(engine, "", (holder, arguments) =>
        {
            var key = arguments.At(0).ToString();
            var value = arguments.At(1);
            var parent = holder is ObjectInstance h && seen.TryGetValue(h, out var found) ? found : null;
            if (value.IsCallable() || value.IsSymbol() || (value is ObjectInstance o && NotJson.Contains(o.GetType().Name)))
            {
                throw NotJsonAt(Place(root, parent, holder.IsArray(), key), Describe(value));
            }

            if (value.IsNull() && holder is ObjectInstance owner && owner.Get(key) is { } original && original.IsDate() && double.IsNaN(original.AsDate().DateValue))
            {
                throw NotJsonAt(Place(root, parent, holder.IsArray(), key), "an invalid Date");
            }

            if (value is ObjectInstance child && !seen.ContainsKey(child))
            {
                var depth = (parent?.Depth ?? 0) + 1;
                if (depth > limits.Depth)
                {
                    throw DepthExceeded($"the value of {root}");
                }

                seen[child] = new Found(parent, key, holder.IsArray(), depth);
            }

            characters += key.Length + (value is JsString text ? text.Length : 0) + 8;
            if (characters > budget)
            {
                throw new MemoryLimitExceededException($"the value as JSON would need more than the {Math.Max(budget * 2, 0)} bytes left of JsMemoryBytes");
            }

            return value;
        });
    }

    private static string Place(string root, Found? parent, bool inArray, string key)
    {
        var parts = new List<string>();
        if (parent is not null)
        {
            parts.Add(Step(inArray, key));
        }

        for (var at = parent; at?.Parent is not null; at = at.Parent)
        {
            parts.Add(Step(at.InArray, at.Key));
        }

        parts.Reverse();
        return root + string.Concat(parts);
    }

    private static string Step(bool inArray, string key) =>
        inArray ? $"[{key}]" : IsName(key) ? "." + key : $"[{System.Text.Json.JsonSerializer.Serialize(key)}]";

    /// <summary>Where an object of the value was found: in which object, under which key, how deep.</summary>
    private sealed record Found(Found? Parent, string Key, bool InArray, int Depth);

    private static bool IsName(string key) =>
        key.Length > 0 && !char.IsAsciiDigit(key[0]) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');

    private static string Describe(JsValue value) => value switch
    {
        _ when value.IsCallable() => "a function",
        _ when value.IsSymbol() => "a Symbol",
        _ when value.IsPromise() => "a Promise",
        ObjectInstance o => o.GetType().Name switch
        {
            "GeneratorInstance" or "AsyncGeneratorInstance" => "a generator",
            "JsMap" => "a Map",
            "JsSet" => "a Set",
            "JsWeakMap" => "a WeakMap",
            "JsWeakSet" => "a WeakSet",
            var name when name.Contains("Iterator", StringComparison.Ordinal) => "an iterator",
            _ => "an object that JSON cannot hold",
        },
        _ => "a value that JSON cannot hold",
    };

    private static SandboxFailure NotJsonAt(string place, string what) =>
        new(new SandboxError(SandboxCodes.JsResult,
            $"The JavaScript's value at {place} is {what}, which JSON cannot hold (js.result).", JsRealm.PathData(place), Catchable: true));

    private SandboxFailure DepthExceeded(string what) =>
        new(new SandboxError(SandboxCodes.LimitJsDepth, $"{what} is nested deeper than {limits.Depth} arrays and objects (limit.js_depth).", null, false));

    /// <summary>The error Jint's stack guard raises when the native stack is nearly used up.</summary>
    public static bool IsStackExhausted(JavaScriptException ex) =>
        ex.Error.IsObject() && ex.Message == "Maximum call stack size exceeded";
}
