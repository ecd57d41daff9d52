using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using Jint;
using Jint.Native;
using Jint.Runtime;

namespace AsyncFunctions.FunctionStacks.Runtime;

/// <summary>
/// Evaluates prepared expressions and lambdas in one Jint engine per run. The engine holds no
/// state of the stack between evaluations: <c>$var</c> is set from the variables before each one,
/// and <c>$input</c>, <c>$env</c> and <c>$auth</c> are frozen. No CLR access is enabled.
/// Jint's stack guard turns a recursion that would overflow the native stack (a Proxy trap reading
/// itself, <c>flat</c> or <c>JSON.stringify</c> of a value nested thousands deep) into an error,
/// so such scripts fail with <c>limit.js_recursion</c> instead of ending the process.
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
    private readonly JsJson _json;
    private readonly JsBuiltInLimits _builtIns;
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
            options.Constraints.StackOverflowGuard = true;
            // Jint bounds an array's capacity, which grows by doubling: the next power of two lets an
            // array of JsArrayLength elements be built one push at a time.
            options.Constraints.MaxArraySize = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)limits.JsArrayLength);
        });
        _builtIns = JsBuiltInLimits.Install(_engine, limits);
        _json = new JsJson(_engine, limits, _builtIns);
        Run(() =>
        {
            _engine.SetValue("$input", _json.ToJs(input, "$input"));
            _engine.SetValue("$env", _json.ToJs(env, "$env"));
            _engine.SetValue("$auth", _json.ToJs(state.Auth, "$auth"));
            _engine.SetValue("$var", JsValue.Null);
            return _engine.Evaluate(in FreezeBindings);
        }, "$");
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
            return Run(() =>
            {
                _engine.SetValue("$var", script.VariablesRead is { } names ? _json.Subset(variables, names) : _json.ToJs(variables, "$var"));
                _builtIns.Begin();
                var result = _engine.Evaluate(in script.Prepared);
                // Memory is otherwise checked before each statement: the last one's allocation counts too.
                _engine.Constraints.Check();
                return _json.ToJson(result, script.Path);
            }, script.Path);
        }
        finally
        {
            _state.JsMilliseconds += System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }

    public void Dispose() => _engine.Dispose();

    private T Run<T>(Func<T> action, string path)
    {
        try
        {
            return action();
        }
        catch (JavaScriptException ex) when (JsJson.IsStackExhausted(ex))
        {
            throw RecursedTooDeep(path);
        }
        catch (InsufficientExecutionStackException)
        {
            throw RecursedTooDeep(path);
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
        catch (MemoryLimitExceededException ex)
        {
            throw new FunctionException(StackErrorCodes.LimitJsMemory,
                $"The JavaScript at {path} went over its memory limits (limit.js_memory): {ex.Message}.");
        }
        catch (OutOfMemoryException)
        {
            // A text or array the runtime cannot make at all (over 2^30 characters, say); nothing of it was kept.
            throw new FunctionException(StackErrorCodes.LimitJsMemory,
                $"The JavaScript at {path} asked for more memory than can be had (limit.js_memory).");
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

    private FunctionException RecursedTooDeep(string path) =>
        new(StackErrorCodes.LimitJsRecursion,
            $"The JavaScript at {path} recursed deeper than the stack allows (limit.js_recursion); a Proxy trap or getter that calls itself, or a value nested thousands deep, does this.");

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
                    data = _json.ToJson(thrown.Get("data"), path);
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
