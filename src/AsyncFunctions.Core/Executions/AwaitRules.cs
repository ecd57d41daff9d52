namespace AsyncFunctions.Executions;

/// <summary>
/// When a suspended await may go on. Applied in C# where the awaited results are at hand (the
/// suspension filter, the in-memory store) and in SQL by the stores that find ready waiters in
/// one query; the storage contract tests check each dialect's SQL against this rule.
/// </summary>
public static class AwaitRules
{
    /// <summary>
    /// True when none of <paramref name="awaited"/> is unfinished, given the stored results of
    /// those that exist (<paramref name="results"/>). An id without a result counts as finished:
    /// an execution that was never recorded or was purged can never finish, and waiting for it
    /// would hold the waiter until its deadline.
    /// </summary>
    public static bool NothingLeftToAwait(IEnumerable<string> awaited, IReadOnlyDictionary<string, ExecutionResult> results)
    {
        ArgumentNullException.ThrowIfNull(awaited);
        ArgumentNullException.ThrowIfNull(results);
        return awaited.All(id => !results.TryGetValue(id, out var result) || IsFinished(result.Status));
    }

    /// <summary>Whether an awaited execution in <paramref name="status"/> lets its waiter go on: it finished.</summary>
    public static bool IsFinished(ExecutionStatus status) => status.Phase() == ExecutionStatusRules.FinishedPhase;
}
