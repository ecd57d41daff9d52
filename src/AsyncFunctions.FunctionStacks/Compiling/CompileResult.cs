namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>The compiled function, or every problem found in the document.</summary>
public sealed record CompileResult(CompiledFunction? Function, IReadOnlyList<DocumentProblem> Problems)
{
    public bool Succeeded => Function is not null && Problems.Count == 0;
}
