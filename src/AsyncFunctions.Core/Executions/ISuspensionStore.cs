namespace AsyncFunctions.Executions;

/// <summary>Suspended executions and what they wait for: checkpoints, waits, and the queries that find waiters to resume (under <see cref="AwaitRules"/>).</summary>
public interface ISuspensionStore
{
    /// <summary>
    /// Saves the suspension of a running execution: its checkpoint, the ids it now waits for
    /// (replacing earlier waits), <paramref name="at"/> as the time it suspended and its wake-up
    /// time. The status moves to <see cref="ExecutionStatus.Awaiting"/> separately, through
    /// <see cref="IExecutionRecords.ApplyAsync"/>, when the job's state changes.
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
}
