namespace AsyncFunctions.FunctionStacks.Model;

internal sealed class VarStep : Step
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

internal sealed class SetStep : Step
{
    public required VariablePath Target { get; init; }

    public SetOperation Operation { get; init; }

    public ValueTemplate? Value { get; init; }
}
