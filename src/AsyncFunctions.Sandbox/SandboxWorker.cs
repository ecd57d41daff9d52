using Jint;

namespace AsyncFunctions.Sandbox;

/// <summary>
/// The sandbox process's loop: each request is evaluated in a new realm, so nothing a script
/// changes (a prototype, a global) reaches the next one. Prepared scripts are kept, as the server
/// keeps compiled documents. After a limit the process answers and ends: what it allocated goes
/// back to the operating system with it.
/// </summary>
public static class SandboxWorker
{
    private const int MaxPreparedScripts = 512;

    private static readonly Dictionary<(string Source, bool IsLambda), Prepared<Acornima.Ast.Script>> Prepared = [];

    public static async Task<int> RunAsync(Stream input, Stream output)
    {
        await SandboxProtocol.WriteFrameAsync(output, SandboxProtocol.Ready).ConfigureAwait(false);
        while (await SandboxProtocol.ReadFrameAsync(input).ConfigureAwait(false) is { } frame)
        {
            var result = Evaluate(SandboxProtocol.DecodeRequest(frame));
            var last = result.Error is { Catchable: false };
            await SandboxProtocol.WriteFrameAsync(output, SandboxProtocol.EncodeReply(result, last)).ConfigureAwait(false);
            if (last)
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>Evaluates one request in a realm of its own.</summary>
    public static SandboxResult Evaluate(SandboxRequest request)
    {
        try
        {
            var script = PrepareOrFail(request, out var failed);
            if (failed is not null)
            {
                return failed;
            }

            using var realm = new JsRealm(request.Limits, guardBuiltIns: true);
            if (realm.Bind(request.InputJson, request.EnvJson, request.AuthJson) is { } error)
            {
                return SandboxResult.Failed(error);
            }

            return realm.Evaluate(in script, request.Path, request.VarJson);
        }
        catch (OutOfMemoryException)
        {
            return SandboxResult.Failed(JsRealm.OutOfMemory(request.Path));
        }
        catch (InsufficientExecutionStackException)
        {
            return SandboxResult.Failed(new SandboxError(SandboxCodes.LimitJsRecursion,
                $"The JavaScript at {request.Path} nests deeper than the stack allows (limit.js_recursion).", null, false));
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
