namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>One compiled step, known by its JSON path (for example <c>$.stack[3]</c>).</summary>
internal abstract record Step
{
    public required string Path { get; init; }

    /// <summary>The kind the step was compiled as; the interpreter runs the step through it.</summary>
    public required StepKind Kind { get; init; }

    /// <summary>The variable the step's result goes into, for steps that yield a value.</summary>
    public string? As { get; init; }
}
