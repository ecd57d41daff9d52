namespace AsyncFunctions.FunctionStacks.Model;

internal sealed record IfStep : Step
{
    /// <summary>The "if" branch first, then each "elseIf" branch.</summary>
    public required IReadOnlyList<(ValueTemplate Condition, StepBlock Then)> Branches { get; init; }

    public StepBlock? Else { get; init; }
}

internal sealed record SwitchStep : Step
{
    public required ValueTemplate Value { get; init; }

    public required IReadOnlyList<(ValueTemplate Value, StepBlock Then)> Cases { get; init; }

    public StepBlock? Default { get; init; }
}

internal enum LoopKind
{
    For,
    Foreach,
    While,
}

internal sealed record LoopStep : Step
{
    public required LoopKind Loop { get; init; }

    /// <summary>The count (for), the array (foreach) or the condition (while).</summary>
    public required ValueTemplate Subject { get; init; }

    public string? IndexVariable { get; init; }

    public string? ItemVariable { get; init; }

    public required StepBlock Body { get; init; }
}

internal sealed record BreakStep : Step;

internal sealed record ContinueStep : Step;

internal sealed record TryStep : Step
{
    public required StepBlock Body { get; init; }

    public StepBlock? Catch { get; init; }

    public required string ErrorVariable { get; init; }

    public StepBlock? Finally { get; init; }
}

internal sealed record ThrowStep : Step
{
    public required ValueTemplate Code { get; init; }

    public ValueTemplate? Message { get; init; }

    public ValueTemplate? Data { get; init; }
}

internal sealed record PreconditionStep : Step
{
    public required ValueTemplate Condition { get; init; }

    public ValueTemplate? Code { get; init; }

    public ValueTemplate? Message { get; init; }

    public ValueTemplate? Data { get; init; }
}

internal sealed record ReturnStep : Step
{
    public required ValueTemplate Value { get; init; }
}

internal sealed record SleepStep : Step
{
    /// <summary>Longest sleep, one day; the compiler holds literals and the interpreter computed values to it.</summary>
    public const decimal MaxMilliseconds = 86_400_000;

    public required ValueTemplate Milliseconds { get; init; }
}

internal sealed record LogStep : Step
{
    public required ValueTemplate Message { get; init; }

    public string Level { get; init; } = "info";

    public ValueTemplate? Data { get; init; }
}
