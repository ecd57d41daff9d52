namespace AsyncFunctions.Executions;

/// <summary>
/// The results table. One contract for every database; each provider runs the same contract
/// tests. Every write is idempotent and follows <see cref="ExecutionStatusRules"/>.
/// </summary>
public interface IExecutionStore
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
    /// Ends every execution that is not terminal with <paramref name="error"/>. Used at start-up
    /// when the job store does not survive a restart. Returns how many rows it ended.
    /// </summary>
    Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Moves the lease of the given unfinished executions (sync runs in flight on this node) to <paramref name="expiresAt"/>.</summary>
    Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Unfinished executions whose lease expired before <paramref name="now"/>: the node running them stopped.</summary>
    Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the suspension of a running execution: its checkpoint, the ids it now waits for
    /// (replacing earlier waits), <paramref name="at"/> as the time it suspended and its wake-up
    /// time. The status moves to <see cref="ExecutionStatus.Awaiting"/> separately, through
    /// <see cref="ApplyAsync"/>, when the job's state changes.
    /// </summary>
    Task SuspendAsync(string id, Suspension suspension, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// The checkpoint a resumed execution continues from (null when there is none), dropping its
    /// waits, which the resumed run no longer needs: it reads the awaited results itself.
    /// </summary>
    Task<string?> LoadCheckpointAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The unfinished executions that wait for any of <paramref name="finishedIds"/> and for
    /// which every awaited id is now finished (usually <see cref="ExecutionStatus.Awaiting"/>;
    /// possibly still committing their suspension).
    /// </summary>
    Task<IReadOnlyList<string>> ListReadyWaitersAsync(IReadOnlyCollection<string> finishedIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> <see cref="ExecutionStatus.Awaiting"/> executions suspended at
    /// an await that are due: their deadline passed before <paramref name="now"/>, or every id they
    /// wait for is finished. Sleeps are left out: their job's scheduled state wakes them.
    /// </summary>
    Task<IReadOnlyList<string>> ListDueSuspensionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Links a retry started as a new execution to the execution it retries: sets
    /// <see cref="ExecutionRecord.RetriedBy"/> on <paramref name="retriedId"/> unless another retry
    /// already did, and <see cref="ExecutionRecord.RetryOf"/> on <paramref name="retryId"/>.
    /// Returns false, changing nothing, when <paramref name="retriedId"/> was already retried.
    /// </summary>
    Task<bool> LinkRetryAsync(string retriedId, string retryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="start"/> under its key unless the key is stored already and was
    /// stored at or after <paramref name="expiredBefore"/> (an older one is replaced). Atomic
    /// across nodes: of concurrent calls with one key exactly one gets <see cref="IdempotencyClaim.Claimed"/>.
    /// Returns the stored start.
    /// </summary>
    Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotentStart start, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken = default);

    /// <summary>Records the execution the claimed key started.</summary>
    Task SetIdempotencyExecutionAsync(string callerKey, string key, string executionId, CancellationToken cancellationToken = default);

    /// <summary>Drops a claimed key whose start failed before it created an execution, so the key may be used again.</summary>
    Task ReleaseIdempotencyKeyAsync(string callerKey, string key, CancellationToken cancellationToken = default);

    /// <summary>Drops idempotency keys stored before <paramref name="createdBefore"/>; returns how many.</summary>
    Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> finished executions completed before
    /// <paramref name="completedBefore"/>, oldest first, with their logs, waits and callbacks. Returns how
    /// many it deleted; call again until it returns less than <paramref name="limit"/>.
    /// </summary>
    Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken = default);

    /// <summary>Throws when the database cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
