using Acornima.Ast;
using Jint;

namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>A JavaScript expression or lambda parsed once, evaluated many times.</summary>
internal sealed class CompiledScript(string path, string source, Prepared<Script> prepared, bool isLambda, IReadOnlyList<string>? variablesRead, bool runsInProcess = false)
{
    private readonly Prepared<Script> _prepared = prepared;

    public string Path { get; } = path;

    public string Source { get; } = source;

    public bool IsLambda { get; } = isLambda;

    /// <summary>
    /// The variables the script reads as <c>$var.name</c>; only these are handed to it. Null when
    /// it uses <c>$var</c> some other way (<c>$var[key]</c>, <c>Object.keys($var)</c>), so it gets all.
    /// </summary>
    public IReadOnlyList<string>? VariablesRead { get; } = variablesRead;

    /// <summary>
    /// True for an expression that only reads its bindings and combines them with operators that
    /// cannot make more than a few copies of them (<see cref="Compiling.PlainExpression"/>): it runs
    /// in the server's own engine. Everything else runs in a sandbox process.
    /// </summary>
    public bool RunsInProcess { get; } = runsInProcess;

    public ref readonly Prepared<Script> Prepared => ref _prepared;
}
