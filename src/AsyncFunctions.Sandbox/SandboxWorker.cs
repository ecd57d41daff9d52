using Jint;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// The sandbox process's loop: each request is evaluated in a new realm, so nothing a script
/// changes (a prototype, a global) reaches the next one. Prepared scripts are kept, as the server
/// keeps compiled documents. After running out of memory the process answers and ends: what it allocated goes
/// back to the operating system with it.
/// </summary>
/// <remarks>
/// Making a realm (an engine, its built-ins and their guards) costs ten times what a small script
/// does, so the realm of the next request is made beside the current evaluation and while the
/// process waits (<see cref="NextRealm"/>); it is still used once only.
/// </remarks>
public static class SandboxWorker
{
    private const int MaxPreparedScripts = 512;

    private static readonly Dictionary<(string Source, bool IsLambda), Prepared<Acornima.Ast.Script>> Prepared = [];

    /// <summary>The environment variable holding the seconds a process waits for a request before it ends.</summary>
    public const string IdleVariable = "ASYNCFUNCTIONS_SANDBOX_IDLE_SECONDS";

    /// <summary>
    /// The stack of the thread that evaluates: the same on every system (a main thread's stack
    /// follows the shell's limit), so that Jint's stack guard stops runaway recursion at the same
    /// depth everywhere, deep enough for values nested to the highest JsDepth.
    /// </summary>
    public const int StackBytes = 4 * 1024 * 1024;

    /// <summary>Serves requests on a thread of its own until the server closes the input; the process's exit code.</summary>
    public static int Run(Stream input, Stream output)
    {
        var exitCode = 0;
        var thread = new Thread(() => exitCode = Serve(input, output), StackBytes) { Name = "sandbox" };
        thread.Start();
        thread.Join();
        return exitCode;
    }

    private static int Serve(Stream input, Stream output)
    {
        var idle = double.TryParse(Environment.GetEnvironmentVariable(IdleVariable), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : Timeout.InfiniteTimeSpan;
        WarmUp();
        var next = new NextRealm();
        next.Prepare(new SandboxLimits());
        SandboxProtocol.WriteFrame(output, SandboxProtocol.Ready);
        while (true)
        {
            byte[]? frame;
            using (var waiting = new CancellationTokenSource(idle))
            using (waiting.Token.Register(() => Environment.Exit(0)))
            {
                // Unused for its idle time, the process ends (a read of standard input cannot be
                // cancelled everywhere); the server starts another when it needs one.
                frame = SandboxProtocol.ReadFrame(input);
            }

            if (frame is null)
            {
                return 0;
            }

            var request = SandboxProtocol.DecodeRequest(frame);
            var realm = next.Take(request.Limits);
            next.Prepare(request.Limits);
            var (result, last) = Evaluate(request, realm);
            SandboxProtocol.WriteFrame(output, SandboxProtocol.EncodeReply(result, last));
            if (last)
            {
                return 0;
            }
        }
    }

    /// <summary>
    /// Runs a script through the paths every evaluation takes (realm, bindings, built-in guards,
    /// result conversion) before the process says it is ready, so that the first request does not
    /// pay for compiling them.
    /// </summary>
    private static void WarmUp()
    {
        var code = "const o = { a: [1, 'x', true, null], s: `${$input.v}`.toUpperCase() }; return Promise.resolve(JSON.parse(JSON.stringify(o)));";
        Evaluate(new SandboxRequest("$.warm-up", code, true, """{"v":"w"}""", "{}", "{}", "{}", new SandboxLimits()));
        Prepared.Clear();
    }

    /// <summary>Evaluates one request in a realm of its own; Last when the process must end after it (it ran out of memory).</summary>
    public static (SandboxResult Result, bool Last) Evaluate(SandboxRequest request) => Evaluate(request, null);

    /// <summary>Evaluates one request in <paramref name="made"/>, a realm made for its limits and not used before, or in a new one.</summary>
    private static (SandboxResult Result, bool Last) Evaluate(SandboxRequest request, JsRealm? made)
    {
        try
        {
            var script = PrepareOrFail(request, out var failed);
            if (failed is not null)
            {
                made?.Dispose();
                return (failed, false);
            }

            using var realm = made ?? new JsRealm(request.Limits, guardBuiltIns: true);
            // Room for the bindings first: a ceiling lowered for a small request must not fail the
            // loading of a large input (its text and the values made from it, two bytes a character each).
            HeapCeiling.Set(request.Limits.MemoryBytes + (4L * (request.InputJson.Length + request.EnvJson.Length + request.AuthJson.Length)));
            if (realm.Bind(request.InputJson, request.EnvJson, request.AuthJson) is { } error)
            {
                return (SandboxResult.Failed(error), false);
            }

            HeapCeiling.Set(request.Limits.MemoryBytes);
            var result = realm.Evaluate(in script, request.Path, request.VarJson);
            return (result, realm.Exhausted);
        }
        catch (OutOfMemoryException)
        {
            return (SandboxResult.Failed(JsRealm.OutOfMemory(request.Path)), true);
        }
        catch (InsufficientExecutionStackException)
        {
            return (SandboxResult.Failed(new SandboxError(SandboxCodes.LimitJsRecursion,
                $"The JavaScript at {request.Path} nests deeper than the stack allows (limit.js_recursion).", null, false)), true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The engine failed in a way it does not report as a JavaScript error: the script gets an
            // error it can catch, and the process, whose state is not known, ends.
            return (SandboxResult.Failed(new SandboxError(SandboxCodes.JsError,
                $"JavaScript error at {request.Path}: the engine failed ({ex.Message}).", JsRealm.PathData(request.Path), true)), true);
        }
    }

    private static Prepared<Acornima.Ast.Script> PrepareOrFail(SandboxRequest request, out SandboxResult? failed)
    {
        failed = null;
        var key = (request.Source, request.IsLambda);
        if (Prepared.TryGetValue(key, out var script))
        {
            return script;
        }

        try
        {
            script = Engine.PrepareScript(ScriptText.Wrap(request.Source, request.IsLambda), request.Path);
        }
        catch (Exception ex) when (ex is Acornima.ParseErrorException or JintException or InvalidOperationException or ArgumentException)
        {
            // The server compiled this script before; a refusal here is a difference between the two parses.
            failed = SandboxResult.Failed(new SandboxError(SandboxCodes.JsError, $"JavaScript error at {request.Path}: {ex.Message}", JsRealm.PathData(request.Path), true));
            return default;
        }

        if (Prepared.Count >= MaxPreparedScripts)
        {
            Prepared.Clear();
        }

        Prepared[key] = script;
        return script;
    }
}
