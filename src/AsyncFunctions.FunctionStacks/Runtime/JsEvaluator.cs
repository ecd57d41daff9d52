using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.FunctionStacks.Sandboxing;
using AsyncFunctions.Functions;
using AsyncFunctions.Sandbox;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// Evaluates a run's expressions and lambdas. A script that only reads its bindings
/// (<see cref="CompiledScript.RunsInProcess"/>) runs in one engine of this run, which such scripts
/// cannot change; every other script runs in a sandbox process, in a realm of its own, so that
/// whatever it calls is bounded by the process's memory ceiling and ended at the deadline, and
/// nothing it changes reaches the next evaluation. <c>$var</c> is set from the variables before
/// each evaluation; <c>$input</c>, <c>$env</c> and <c>$auth</c> are frozen.
/// </summary>
internal sealed class JsEvaluator(StackLimitOptions limits, JsonObject input, JsonObject env, StackState state, SandboxPool sandboxes, CancellationToken cancellationToken) : IDisposable
{
    private readonly SandboxLimits _limits = new()
    {
        TimeoutMilliseconds = limits.JsTimeout.TotalMilliseconds,
        MemoryBytes = limits.JsMemoryBytes,
        Recursion = limits.JsRecursion,
        Depth = limits.JsDepth,
        ArrayLength = limits.JsArrayLength,
    };

    private readonly string _input = input.ToJsonString();
    private readonly string _env = env.ToJsonString();
    private readonly string _auth = state.Auth.ToJsonString();
    private JsRealm? _realm;

    public async ValueTask<JsonNode?> EvaluateAsync(CompiledScript script, JsonObject variables)
    {
        if (state.JsMilliseconds > limits.JsTotalTime.TotalMilliseconds)
        {
            throw new FunctionException(StackErrorCodes.LimitJsTotalTime,
                $"The execution spent more than {limits.JsTotalTime.TotalSeconds} s running JavaScript (limit.js_total_time); it stopped at {script.Path}.");
        }

        string variablesJson;
        try
        {
            variablesJson = Variables(script, variables);
        }
        catch (InvalidOperationException)
        {
            // The JSON writer refuses values nested deeper than it supports.
            throw new FunctionException(StackErrorCodes.LimitJsDepth, $"$var at {script.Path} is nested deeper than {limits.JsDepth} arrays and objects (limit.js_depth).");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        SandboxResult result;
        try
        {
            result = script.RunsInProcess
                ? Realm().Evaluate(in script.Prepared, script.Path, variablesJson)
                : await sandboxes.EvaluateAsync(
                    new SandboxRequest(script.Path, script.Source, script.IsLambda, _input, _env, _auth, variablesJson, _limits), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.JsMilliseconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return ToNode(result);
    }

    public void Dispose() => _realm?.Dispose();

    private JsRealm Realm()
    {
        if (_realm is null)
        {
            var realm = new JsRealm(_limits, guardBuiltIns: false, cancellationToken);
            if (realm.Bind(_input, _env, _auth) is { } error)
            {
                realm.Dispose();
                throw ToException(error);
            }

            _realm = realm;
        }

        return _realm;
    }

    private JsonNode? ToNode(SandboxResult result)
    {
        if (result.Error is { } error)
        {
            throw ToException(error);
        }

        return result.Json is null ? null : JsonNode.Parse(result.Json, documentOptions: new JsonDocumentOptions { MaxDepth = limits.JsDepth + 1 });
    }

    private static FunctionException ToException(SandboxError error)
    {
        if (!error.Catchable)
        {
            return new FunctionException(error.Code, error.Message);
        }

        var data = error.DataJson is null ? null : JsonNode.Parse(error.DataJson, documentOptions: new JsonDocumentOptions { MaxDepth = 1000 });
        return new StackErrorException(new StackError(error.Code, error.Message, data));
    }

    /// <summary>Only the variables a script reads are handed over: big variables cost only the scripts that use them.</summary>
    private static string Variables(CompiledScript script, JsonObject variables)
    {
        if (script.VariablesRead is not { } names)
        {
            return variables.ToJsonString();
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartObject();
            foreach (var name in names)
            {
                if (variables.TryGetPropertyValue(name, out var value))
                {
                    writer.WritePropertyName(name);
                    if (value is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        value.WriteTo(writer);
                    }
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
