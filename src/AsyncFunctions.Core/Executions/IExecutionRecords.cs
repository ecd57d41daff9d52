namespace AsyncFunctions.Executions;

/// <summary>The execution records and their status: what was asked, how it stands, and the monotonic status rule (<see cref="ExecutionStatusRules"/>).</summary>
public interface IExecutionRecords
{
    /// <summary>
    /// Records an accepted execution. Inserts the row, or completes a placeholder that an
    /// earlier status change created; never moves the status backwards.
    /// </summary>
    Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts one more async execution started in the tree of <paramref name="rootId"/>, unless the
    /// tree already started <paramref name="max"/>; returns whether it counted. Atomic across nodes.
    /// </summary>
    Task<bool> TryCountTreeStartAsync(string rootId, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts <paramref name="count"/> more async executions started in the tree of
    /// <paramref name="rootId"/> at once, unless that would bring the tree past
    /// <paramref name="max"/>; returns whether it counted them (all or none). Atomic across nodes.
    /// </summary>
    Task<bool> TryCountTreeStartsAsync(string rootId, int count, int max, CancellationToken cancellationToken = default);

    /// <summary>Applies a status change if it supersedes the stored one; returns whether it did.</summary>
    Task<bool> ApplyAsync(StatusChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies an execution's start (a <see cref="ExecutionStatus.Processing"/> change) as
    /// <see cref="ApplyAsync"/> does, but only while the record has never started: no attempt and no
    /// resume counted yet. Returns whether it did; when not, nothing was written and the caller
    /// writes the change with <see cref="ApplyAsync"/>. A store without the check answers false.
    /// </summary>
    Task<bool> ApplyFirstStartAsync(StatusChange change, CancellationToken cancellationToken = default) =>
        Task.FromResult(false);

    Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The current result of each known id, in one query; unknown ids are absent.</summary>
    Task<IReadOnlyDictionary<string, ExecutionResult>> GetResultsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// The name of the API key that started the tree of each known id (null when none was
    /// recorded); unknown ids are absent. Stores may answer it in one query.
    /// </summary>
    async Task<IReadOnlyDictionary<string, string?>> GetCallerKeysAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } record)
            {
                keys[id] = record.Caller?.Key;
            }
        }

        return keys;
    }

    Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Links a retry started as a new execution to the execution it retries: sets
    /// <see cref="ExecutionRecord.RetriedBy"/> on <paramref name="retriedId"/> unless another retry
    /// already did, and <see cref="ExecutionRecord.RetryOf"/> on <paramref name="retryId"/>.
    /// Returns false, changing nothing, when <paramref name="retriedId"/> was already retried.
    /// </summary>
    Task<bool> LinkRetryAsync(string retriedId, string retryId, CancellationToken cancellationToken = default);

    /// <summary>Throws when the database cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
