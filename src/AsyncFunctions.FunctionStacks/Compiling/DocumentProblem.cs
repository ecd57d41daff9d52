namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>One thing wrong with a function document, at a JSON path such as <c>$.stack[3].then[0].value</c>.</summary>
public sealed record DocumentProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
