namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>The flow fields of a compiled document, keys still as compiled expressions.</summary>
internal sealed record FlowDeclaration(
    IReadOnlyList<(int Limit, CompiledScript? Key)> Concurrency,
    (int Limit, int PeriodSeconds, CompiledScript? Key)? RateLimit,
    bool HoldWhileAwaiting)
{
    public static readonly FlowDeclaration None = new([], null, false);
}
