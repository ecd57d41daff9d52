using System.Collections.Frozen;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;

namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>
/// The step vocabulary of the language, in one table: a new kind of step is a model type, a
/// compile function in <see cref="DocumentCompiler"/>, a handler in <see cref="StackRun"/> and a
/// line here. Fields list everything besides the kind key and "description"; "as" marks a step
/// that yields a value.
/// </summary>
internal static class StepKinds
{
    private static readonly ValueTask<bool> NotSuspended = new(false);

    /// <summary>Every kind, in the order messages list them.</summary>
    public static readonly IReadOnlyList<StepKind> All =
    [
        Async<VarStep>("var", ["value"], (c, s) => c.VarStep(s), (r, s) => r.RunVar(s)),
        Async<SetStep>("set", ["value", "op"], (c, s) => c.SetStep(s), (r, s) => r.Update(s)),
        Async<IfStep>("if", ["then", "elseIf", "else"], (c, s) => c.IfStep(s), (r, s) => r.RunIf(s)),
        Async<SwitchStep>("switch", ["cases", "default"], (c, s) => c.SwitchStep(s), (r, s) => r.RunSwitch(s)),
        Async<LoopStep>("for", ["index", "do"], (c, s) => c.LoopStep(s, LoopKind.For), (r, s) => r.StartLoop(s)),
        Async<LoopStep>("foreach", ["item", "index", "do"], (c, s) => c.LoopStep(s, LoopKind.Foreach), (r, s) => r.StartLoop(s)),
        Async<LoopStep>("while", ["index", "do"], (c, s) => c.LoopStep(s, LoopKind.While), (r, s) => r.StartLoop(s)),
        Sync<BreakStep>("break", [], (c, s) => c.BreakStep(s), (r, _) => r.Break()),
        Sync<ContinueStep>("continue", [], (c, s) => c.ContinueStep(s), (r, _) => r.Continue()),
        Async<CallStep>("call", ["input", "async", "as"], (c, s) => c.CallStep(s), (r, s) => r.CallAsync(s)),
        Suspending<AwaitStep>("await", ["timeoutSeconds", "settled", "as"], (c, s) => c.AwaitStep(s), (r, s) => r.AwaitAsync(s)),
        Async<RequestStep>("request", ["method", "headers", "params", "json", "text", "timeoutSeconds", "as"], (c, s) => c.RequestStep(s), (r, s) => r.RequestAsync(s)),
        Async<LambdaStep>("lambda", ["as"], (c, s) => c.LambdaStep(s), (r, s) => r.RunLambda(s)),
        Async<QueryStep>("query", ["connection", "parameters", "timeoutSeconds", "as"], (c, s) => c.QueryStep(s), (r, s) => r.QueryAsync(s)),
        Sync<TryStep>("try", ["catch", "error", "finally"], (c, s) => c.TryStep(s), (r, s) => r.EnterTry(s)),
        Async<ThrowStep>("throw", ["message", "data"], (c, s) => c.ThrowStep(s), (r, s) => r.RunThrow(s)),
        Async<PreconditionStep>("precondition", ["code", "message", "data"], (c, s) => c.PreconditionStep(s), (r, s) => r.CheckPrecondition(s)),
        Async<ReturnStep>("return", [], (c, s) => c.ReturnStep(s), (r, s) => r.RunReturn(s)),
        Suspending<SleepStep>("sleep", [], (c, s) => c.SleepStep(s), (r, s) => r.SleepAsync(s)),
        Async<LogStep>("log", ["level", "data"], (c, s) => c.LogStep(s), (r, s) => r.LogAsync(s)),
    ];

    public static readonly FrozenDictionary<string, StepKind> ByName = All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    private static StepKind Sync<T>(string name, string[] fields, Func<DocumentCompiler, StepSource, T?> compile, Action<StackRun, T> run)
        where T : Step =>
        new(name, fields, typeof(T), compile, (r, s) =>
        {
            run(r, (T)s);
            return NotSuspended;
        });

    private static StepKind Async<T>(string name, string[] fields, Func<DocumentCompiler, StepSource, T?> compile, Func<StackRun, T, Task> run)
        where T : Step =>
        new(name, fields, typeof(T), compile, (r, s) => NeverSuspends(run(r, (T)s)));

    private static StepKind Suspending<T>(string name, string[] fields, Func<DocumentCompiler, StepSource, T?> compile, Func<StackRun, T, Task<bool>> run)
        where T : Step =>
        new(name, fields, typeof(T), compile, (r, s) => new ValueTask<bool>(run(r, (T)s)));

    private static async ValueTask<bool> NeverSuspends(Task step)
    {
        await step.ConfigureAwait(false);
        return false;
    }
}
