using Jint;
using Jint.Native;
using Jint.Runtime;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// One Jint engine with the bindings <c>$input</c>, <c>$env</c> and <c>$auth</c> (frozen) and
/// <c>$var</c> (set before each evaluation). No CLR access is enabled. Jint's own constraints
/// (statement-level time, memory and recursion checks, the stack guard) turn what they can see
/// into limit errors; what they cannot see inside one native call is bounded outside: by the
/// sandbox process's memory ceiling and by the server ending the process at the deadline.
/// </summary>
public sealed class JsRealm : IDisposable
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
    private readonly JsValues _values;
    private readonly JsBuiltInLimits? _builtIns;
    private readonly SandboxLimits _limits;
    private readonly CancellationToken _cancellationToken;

    /// <param name="guardBuiltIns">
    /// Wraps the built-ins that allocate in one call so that they are charged before they run (a
    /// clear <c>limit.js_memory</c> without reaching the process's ceiling). Needless where only
    /// scripts that call nothing run.
    /// </param>
    public JsRealm(SandboxLimits limits, bool guardBuiltIns, CancellationToken cancellationToken = default)
    {
        _limits = limits;
        _cancellationToken = cancellationToken;
        _engine = new Engine(options =>
        {
            options.TimeoutInterval(limits.Timeout);
            options.LimitMemory(limits.MemoryBytes);
            options.LimitRecursion(limits.Recursion);
            options.CancellationToken(cancellationToken);
            options.Constraints.RegexTimeout = limits.Timeout;
            options.Constraints.StackOverflowGuard = true;
            // Jint bounds an array's capacity, which grows by doubling: the next power of two lets an
            // array of ArrayLength elements be built one push at a time.
            options.Constraints.MaxArraySize = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)limits.ArrayLength);
        });
        _builtIns = guardBuiltIns ? JsBuiltInLimits.Install(_engine, limits) : null;
        _values = new JsValues(_engine, limits, _builtIns);
    }

    /// <summary>Sets the frozen bindings from JSON; null when they are set, else why not.</summary>
    public SandboxError? Bind(string input, string env, string auth) =>
        Run(() =>
        {
            _engine.SetValue("$input", _values.Parse(input, 0, "$input"));
            _engine.SetValue("$env", _values.Parse(env, 0, "$env"));
            _engine.SetValue("$auth", _values.Parse(auth, 0, "$auth"));
            _engine.SetValue("$var", JsValue.Null);
            _engine.Evaluate(in FreezeBindings);
            return new SandboxResult(null, null);
        }, "$").Error;

    /// <summary>Evaluates a prepared script with <paramref name="variables"/> (a JSON object) as <c>$var</c>.</summary>
    public SandboxResult Evaluate(in Prepared<Acornima.Ast.Script> script, string path, string variables)
    {
        var prepared = script;
        return Run(() =>
        {
            _engine.SetValue("$var", _values.Parse(variables, 1, "$var"));
            _builtIns?.Begin();
            var result = _engine.Evaluate(in prepared);
            if (result.IsPromise())
            {
                result = Settle(result, path);
            }

            // Memory is otherwise checked before each statement: the last one's allocation counts too.
            _engine.Constraints.Check();
            return _values.ToJson(result, path);
        }, path);
    }

    /// <summary>True once an evaluation ran the process out of memory: its heap is not to be trusted further.</summary>
    public bool Exhausted { get; private set; }

    public void Dispose() => _engine.Dispose();

    /// <summary>A promise is awaited: its jobs run here, within the same limits; one that never settles is an error.</summary>
    private JsValue Settle(JsValue promise, string path)
    {
        _engine.Advanced.ProcessTasks();
        try
        {
            // Its jobs have run: a promise still pending now waits for nothing that can come.
            return promise.UnwrapIfPromise(new CancellationToken(canceled: true));
        }
        catch (PromiseRejectedException ex)
        {
            throw new JavaScriptException(ex.RejectedValue);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            throw new SandboxFailure(new SandboxError(SandboxCodes.JsResult,
                $"The JavaScript at {path} returned a Promise that never settles (js.result); a lambda's value must be JSON or a Promise that settles.",
                PathData(path), Catchable: true));
        }
    }

    internal static string PathData(string path) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["path"] = path });

    private SandboxResult Run(Func<SandboxResult> action, string path)
    {
        try
        {
            return action();
        }
        catch (SandboxFailure failure)
        {
            return SandboxResult.Failed(failure.Error);
        }
        catch (JavaScriptException ex) when (JsValues.IsStackExhausted(ex))
        {
            return SandboxResult.Failed(RecursedTooDeep(path));
        }
        catch (InsufficientExecutionStackException)
        {
            return SandboxResult.Failed(RecursedTooDeep(path));
        }
        catch (JavaScriptException ex)
        {
            return SandboxResult.Failed(FromThrown(ex, path));
        }
        catch (Exception ex) when (ex is TimeoutException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return SandboxResult.Failed(TimedOut(path, _limits));
        }
        catch (MemoryLimitExceededException ex)
        {
            return SandboxResult.Failed(new SandboxError(SandboxCodes.LimitJsMemory,
                $"The JavaScript at {path} went over its memory limits (limit.js_memory): {ex.Message}.", null, false));
        }
        catch (OverflowException)
        {
            // A text or array longer than the runtime can make at all (a built-in sized it before allocating).
            return SandboxResult.Failed(OutOfMemory(path));
        }
        catch (OutOfMemoryException)
        {
            // The sandbox process's memory ceiling, or a text or array the runtime cannot make at all.
            Exhausted = true;
            return SandboxResult.Failed(OutOfMemory(path));
        }
        catch (RecursionDepthOverflowException)
        {
            return SandboxResult.Failed(new SandboxError(SandboxCodes.LimitJsRecursion,
                $"The JavaScript at {path} recursed deeper than {_limits.Recursion} calls (limit.js_recursion).", null, false));
        }
        catch (ExecutionCanceledException)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException("The JavaScript was cancelled.");
        }
        catch (JintException ex)
        {
            return SandboxResult.Failed(new SandboxError(SandboxCodes.JsError, $"JavaScript error at {path}: {ex.Message}", PathData(path), true));
        }
    }

    public static SandboxError TimedOut(string path, SandboxLimits limits) =>
        new(SandboxCodes.LimitJsTimeout, $"The JavaScript at {path} ran longer than {limits.TimeoutMilliseconds} ms (limit.js_timeout).", null, false);

    public static SandboxError OutOfMemory(string path) =>
        new(SandboxCodes.LimitJsMemory, $"The JavaScript at {path} asked for more memory than its sandbox may have (limit.js_memory).", null, false);

    private static SandboxError RecursedTooDeep(string path) =>
        new(SandboxCodes.LimitJsRecursion,
            $"The JavaScript at {path} recursed deeper than the stack allows (limit.js_recursion); a Proxy trap or getter that calls itself, or a value nested thousands deep, does this.",
            null, false);

    /// <summary>
    /// A thrown object with a text "code" keeps its code, message and data, so lambdas can raise
    /// errors like the throw step; anything else becomes js.error.
    /// </summary>
    private SandboxError FromThrown(JavaScriptException ex, string path)
    {
        try
        {
            if (ex.Error is Jint.Native.Object.ObjectInstance thrown && thrown.Get("code") is JsString code)
            {
                var message = thrown.Get("message") is JsString m ? m.ToString() : code.ToString();
                string? data = null;
                try
                {
                    data = _values.ToJson(thrown.Get("data"), path).Json is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;
                }
                catch (Exception e) when (e is JavaScriptException or SandboxFailure or JintException)
                {
                }

                return new SandboxError(code.ToString(), message, data, true);
            }
        }
        catch (Exception e) when (e is JintException or TimeoutException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // A getter on the thrown object threw or ran away (the engine's limits still hold): report the throw plainly.
        }

        return new SandboxError(SandboxCodes.JsError, $"JavaScript error at {path}: {ex.Message}", PathData(path), true);
    }
}
