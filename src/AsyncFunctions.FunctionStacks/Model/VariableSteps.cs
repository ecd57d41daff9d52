namespace AsyncFunctions.FunctionStacks.Model;

internal sealed record VarStep : Step
{
    public required string Name { get; init; }

    public required ValueTemplate Value { get; init; }
}

internal enum SetOperation
{
    Set,
    Push,
    Increment,
    Remove,
}

internal sealed record SetStep : Step
{
    public required VariablePath Target { get; init; }

    public SetOperation Operation { get; init; }

    public ValueTemplate? Value { get; init; }
}
