namespace AsyncFunctions.FunctionStacks.Compiling;

/// <summary>
/// Ranges of the numeric step fields, shared by the compiler (literals) and the interpreter
/// (values computed by expressions), so both refuse the same numbers with the same words.
/// </summary>
internal static class StepRanges
{
    public const decimal RequestTimeoutMin = 0.001m;

    public const decimal QueryTimeoutMin = 1;

    /// <summary>Longest request or query timeout, in seconds.</summary>
    public const decimal TimeoutMax = 3600;

    /// <summary>
    /// Longest await timeout of a run that waits in place (sync runs, calls made inline); the
    /// server's AsyncFunctions:Await:MaxTimeout may cap it lower.
    /// </summary>
    public const decimal AwaitTimeoutMax = 86400;

    /// <summary>
    /// Longest await timeout a document may ask for: a suspended await holds no worker. The
    /// server's AsyncFunctions:Stacks:MaxSuspendedAwaitSeconds caps it (7 days unless raised).
    /// </summary>
    public const decimal SuspendedAwaitTimeoutMax = 2_592_000;
}
