using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// Evaluates prepared expressions and lambdas in one Jint engine per run. The engine holds no
/// state of the stack between evaluations: <c>$var</c> is set from the variables before each one,
/// and <c>$input</c>, <c>$env</c> and <c>$auth</c> are frozen. No CLR access is enabled.
/// </summary>
internal sealed class JsEvaluator : IDisposable
{
    private static readonly Prepared<Acornima.Ast.Script> FreezeBindings = Engine.PrepareScript(
        """
        (function () {
          const freeze = function (o) {
            if (o !== null && typeof o === 'object' && !Object.isFrozen(o)) {
              Object.freeze(o);
              for (const k of Object.keys(o)) freeze(o[k]);
            }
            return o;
          };
          for (const name of ['$input', '$env', '$auth']) {
            Object.defineProperty(globalThis, name, { value: freeze(globalThis[name]), writable: false, configurable: false });
          }
        })()
        """);

    private readonly Engine _engine;
    private readonly JsonParser _parser;
    private readonly JsonSerializer _serializer;
    private readonly StackLimitOptions _limits;
    private readonly StackState _state;
    private readonly CancellationToken _cancellationToken;

    public JsEvaluator(StackLimitOptions limits, JsonObject input, JsonObject env, StackState state, CancellationToken cancellationToken)
    {
        _limits = limits;
        _state = state;
        _cancellationToken = cancellationToken;
        _engine = new Engine(options =>
        {
            options.TimeoutInterval(limits.JsTimeout);
            options.LimitMemory(limits.JsMemoryBytes);
            options.LimitRecursion(limits.JsRecursion);
            options.CancellationToken(cancellationToken);
            options.Constraints.RegexTimeout = limits.JsTimeout;
        });
        _parser = new JsonParser(_engine);
        _serializer = new JsonSerializer(_engine);
        _engine.SetValue("$input", ToJs(input));
        _engine.SetValue("$env", ToJs(env));
        _engine.SetValue("$auth", ToJs(state.Auth));
        _engine.SetValue("$var", JsValue.Null);
        Run(() => _engine.Evaluate(in FreezeBindings), "$");
    }

    public JsonNode? Evaluate(CompiledScript script, JsonObject variables)
    {
        if (_state.JsMilliseconds > _limits.JsTotalTime.TotalMilliseconds)
        {
            throw new FunctionException(StackErrorCodes.LimitJsTotalTime,
                $"The execution spent more than {_limits.JsTotalTime.TotalSeconds} s running JavaScript (limit.js_total_time); it stopped at {script.Path}.");
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            _engine.SetValue("$var", script.VariablesRead is { } names ? Subset(variables, names) : ToJs(variables));
            var result = Run(() => _engine.Evaluate(in script.Prepared), script.Path);
            return Run(() => ToJson(result), script.Path);
        }
        finally
        {
            _state.JsMilliseconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    public void Dispose() => _engine.Dispose();

    /// <summary>Only the variables a script reads are converted: big variables cost only the scripts that use them.</summary>
    private JsValue Subset(JsonObject variables, IReadOnlyList<string> names)
    {
        var json = new System.Text.StringBuilder("{");
        foreach (var name in names)
        {
            if (variables.TryGetPropertyValue(name, out var value))
            {
                json.Append(json.Length > 1 ? "," : "")
                    .Append(System.Text.Json.JsonSerializer.Serialize(name))
                    .Append(':')
                    .Append(value is null ? "null" : value.ToJsonString());
            }
        }

        return _parser.Parse(json.Append('}').ToString());
    }

    private JsValue ToJs(JsonNode? value) => value is null ? JsValue.Null : _parser.Parse(value.ToJsonString());

    private JsonNode? ToJson(JsValue value)
    {
        if (value.IsUndefined() || value.IsNull())
        {
            return null;
        }

        var text = _serializer.Serialize(value);
        return text.IsUndefined() ? null : JsonNode.Parse(text.AsString());
    }

    private T Run<T>(Func<T> action, string path)
    {
        try
        {
            return action();
        }
        catch (JavaScriptException ex)
        {
            throw new StackErrorException(FromThrown(ex, path));
        }
        catch (Exception ex) when (ex is TimeoutException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            throw new FunctionException(StackErrorCodes.LimitJsTimeout,
                $"The JavaScript at {path} ran longer than {_limits.JsTimeout.TotalMilliseconds} ms (limit.js_timeout).");
        }
        catch (MemoryLimitExceededException)
        {
            throw new FunctionException(StackErrorCodes.LimitJsMemory,
                $"The JavaScript at {path} allocated more than {_limits.JsMemoryBytes} bytes (limit.js_memory).");
        }
        catch (RecursionDepthOverflowException)
        {
            throw new FunctionException(StackErrorCodes.LimitJsRecursion,
                $"The JavaScript at {path} recursed deeper than {_limits.JsRecursion} calls (limit.js_recursion).");
        }
        catch (ExecutionCanceledException)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException("The JavaScript was cancelled.");
        }
        catch (JintException ex)
        {
            throw new StackErrorException(StackErrorCodes.JsError, $"JavaScript error at {path}: {ex.Message}", new JsonObject { ["path"] = path });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new StackErrorException(StackErrorCodes.JsError, $"The JavaScript at {path} yielded a value that is not JSON: {ex.Message}", new JsonObject { ["path"] = path });
        }
    }

    /// <summary>
    /// A thrown object with a text "code" keeps its code, message and data, so lambdas can raise
    /// errors like the throw step; anything else becomes js.error.
    /// </summary>
    private StackError FromThrown(JavaScriptException ex, string path)
    {
        try
        {
            if (ex.Error is Jint.Native.Object.ObjectInstance thrown && thrown.Get("code") is JsString code)
            {
                var message = thrown.Get("message") is JsString m ? m.ToString() : code.ToString();
                JsonNode? data = null;
                try
                {
                    data = ToJson(thrown.Get("data"));
                }
                catch (Exception e) when (e is JavaScriptException or System.Text.Json.JsonException)
                {
                }

                return new StackError(code.ToString(), message, data);
            }
        }
        catch (Exception e) when (e is JintException or TimeoutException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // A getter on the thrown object threw or ran away (the engine's limits still hold): report the throw plainly.
        }

        return new StackError(StackErrorCodes.JsError, $"JavaScript error at {path}: {ex.Message}", new JsonObject { ["path"] = path });
    }
}
