namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>A list of steps, known by its JSON path (for example <c>$.stack[2].do</c>).</summary>
internal sealed class StepBlock(string path, IReadOnlyList<Step> steps)
{
    public string Path { get; } = path;

    public IReadOnlyList<Step> Steps { get; } = steps;
}
