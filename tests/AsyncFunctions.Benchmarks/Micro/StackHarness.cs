using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.Running;

namespace AsyncFunctions.Benchmarks.Micro;

/// <summary>
/// One document compiled once, run as often as asked through the public interpreter API: a fresh
/// <see cref="StackState"/> per run, as a new execution would have, and no database or host.
/// </summary>
public sealed class StackHarness
{
    private readonly StackInterpreter _interpreter;
    private readonly FunctionContext _context;

    public StackHarness(string document, JsonObject? input = null)
    {
        var compiled = Compile(document);
        _interpreter = new StackInterpreter(compiled, new StackServices(new FunctionStacksOptions { Folder = null }));
        var execution = new ExecutionInfo("micro", compiled.Name, null, null, 0, 1, IsAsync: false);
        _context = new FunctionContext(NoExecutions.Instance, execution, input ?? [], NoServices.Instance);
    }

    public static CompiledFunction Compile(string document)
    {
        var result = FunctionDocumentCompiler.Compile(document);
        return result.Succeeded
            ? result.Function!
            : throw new InvalidOperationException("A micro-benchmark document does not compile: " + string.Join("; ", result.Problems));
    }

    /// <summary>One run from the first step to the response.</summary>
    public async Task<StackRunResult> RunAsync()
    {
        var result = await _interpreter.RunAsync(_interpreter.Start(), _context).ConfigureAwait(false);
        return result.Completed ? result : throw new InvalidOperationException($"The stack '{_interpreter.Function.Name}' suspended.");
    }

    /// <summary>Runs once and fails the set-up unless the run took <paramref name="steps"/> steps and ended with <paramref name="expected"/>.</summary>
    public void Check(long steps, string variable, string expected)
    {
        var result = RunAsync().GetAwaiter().GetResult();
        var actual = result.State.Variables[variable]?.ToJsonString() ?? "null";
        if (result.State.StepsRun != steps || actual != expected)
        {
            throw new InvalidOperationException(
                $"The stack '{_interpreter.Function.Name}' ran {result.State.StepsRun} steps (expected {steps}) and left {variable} = {actual} (expected {expected}).");
        }
    }

    private sealed class NoServices : IServiceProvider
    {
        public static readonly NoServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
