using AsyncFunctions.Awaiting;

namespace AsyncFunctions.Executions;

/// <summary>
/// The invoker visibility rule, once for the REST API and for running functions: a scoped caller
/// (<see cref="ExecutionCaller.IsScoped"/>, an invoker) sees only the executions whose tree its own
/// key started; every other caller, and no caller, sees all. An execution a caller does not see is
/// unknown to it, exactly like one that does not exist.
/// </summary>
public static class ExecutionVisibility
{
    /// <summary>The key name <paramref name="caller"/>'s view is limited to, or null when it sees every execution.</summary>
    public static string? ScopedKey(ExecutionCaller? caller) => caller is { IsScoped: true } ? caller.Key : null;

    /// <summary>Whether <paramref name="caller"/> sees an execution whose tree the key <paramref name="startedBy"/> started.</summary>
    public static bool Sees(ExecutionCaller? caller, string? startedBy) =>
        ScopedKey(caller) is not { } key || string.Equals(startedBy, key, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="caller"/> sees <paramref name="record"/>.</summary>
    public static bool Sees(ExecutionCaller? caller, ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Sees(caller, record.Caller?.Key);
    }

    /// <summary>
    /// The await's filter: throws <see cref="UnknownExecutionsException"/> naming every id a scoped
    /// <paramref name="caller"/> may not await (another key's, or none at all), in one query.
    /// Nothing to check for a caller that sees all: the awaiter reports unknown ids itself.
    /// </summary>
    public static async Task ThrowUnlessAllSeenAsync(IExecutionStore store, ExecutionCaller? caller, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ids);
        if (ScopedKey(caller) is null)
        {
            return;
        }

        var distinct = ids.Distinct(StringComparer.Ordinal).ToArray();
        var keys = await store.GetCallerKeysAsync(distinct, cancellationToken).ConfigureAwait(false);
        var unseen = distinct.Where(id => !keys.TryGetValue(id, out var key) || !Sees(caller, key)).ToArray();
        if (unseen.Length > 0)
        {
            throw new UnknownExecutionsException(unseen);
        }
    }
}
