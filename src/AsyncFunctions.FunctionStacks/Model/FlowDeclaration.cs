namespace AsyncFunctions.FunctionStacks.Model;

/// <summary>
/// The flow fields of a compiled document (<c>concurrency</c>, <c>holdWhileAwaiting</c>,
/// <c>rateLimit</c> and <c>debounce</c>), keys still as compiled expressions: the descriptor turns
/// every key into the one evaluator of flow keys.
/// </summary>
internal sealed record FlowDeclaration(
    IReadOnlyList<(int Limit, CompiledScript? Key)> Concurrency,
    (int Limit, int PeriodSeconds, CompiledScript? Key)? RateLimit,
    bool HoldWhileAwaiting)
{
    public static readonly FlowDeclaration None = new([], null, false);

    /// <summary>The document's <c>debounce</c>: its period in seconds and its key.</summary>
    public (int PeriodSeconds, CompiledScript? Key)? Debounce { get; init; }
}
