using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;

namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>
/// One kind of step: its key in a document, the fields it may have besides that key and
/// "description", how the compiler reads it and how the interpreter runs it. All of them are
/// listed in <see cref="StepKinds"/>; every compiled step keeps its kind, so the interpreter runs
/// it without looking anything up.
/// </summary>
/// <param name="StepType">The model type <paramref name="Compile"/> yields.</param>
/// <param name="Compile">Reads the step; null when a problem leaves nothing to run (the problem is recorded).</param>
/// <param name="Run">Runs a compiled step of this kind; true when the stack suspends at it.</param>
internal sealed record StepKind(
    string Name,
    IReadOnlyList<string> Fields,
    Type StepType,
    Func<DocumentCompiler, StepSource, Step?> Compile,
    Func<StackRun, Step, ValueTask<bool>> Run)
{
    /// <summary>A step that yields a value names the variable it goes into with "as".</summary>
    public bool YieldsValue { get; } = Fields.Contains("as");
}
