using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>
/// The results table over Dapper, for every database: the four stores of its responsibilities
/// over one dialect, which holds every statement and what differs between databases.
/// </summary>
public sealed class DapperExecutionStore(SqlDialect dialect) : IExecutionStore
{
    private readonly DapperExecutionRecords _records = new(dialect);
    private readonly DapperSuspensionStore _suspensions = new(dialect);
    private readonly DapperIdempotencyStore _idempotency = new(dialect);
    private readonly DapperExecutionMaintenanceStore _maintenance = new(dialect);

    public Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default) =>
        _records.CreateAsync(execution, cancellationToken);

    public Task<bool> TryCountTreeStartAsync(string rootId, int max, CancellationToken cancellationToken = default) =>
        _records.TryCountTreeStartAsync(rootId, max, cancellationToken);

    public Task<bool> TryCountTreeStartsAsync(string rootId, int count, int max, CancellationToken cancellationToken = default) =>
        _records.TryCountTreeStartsAsync(rootId, count, max, cancellationToken);

    public Task<bool> ApplyAsync(StatusChange change, CancellationToken cancellationToken = default) =>
        _records.ApplyAsync(change, cancellationToken);

    public Task<bool> ApplyFirstStartAsync(StatusChange change, CancellationToken cancellationToken = default) =>
        _records.ApplyFirstStartAsync(change, cancellationToken);

    public Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _records.GetAsync(id, cancellationToken);

    public Task<IReadOnlyDictionary<string, ExecutionResult>> GetResultsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        _records.GetResultsAsync(ids, cancellationToken);

    public Task<IReadOnlyDictionary<string, string?>> GetCallerKeysAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) =>
        _records.GetCallerKeysAsync(ids, cancellationToken);

    public Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default) =>
        _records.ListAsync(query, cancellationToken);

    public Task<bool> LinkRetryAsync(string retriedId, string retryId, CancellationToken cancellationToken = default) =>
        _records.LinkRetryAsync(retriedId, retryId, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        _records.PingAsync(cancellationToken);

    public Task SuspendAsync(string id, Suspension suspension, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _suspensions.SuspendAsync(id, suspension, at, cancellationToken);

    public Task<string?> LoadCheckpointAsync(string id, CancellationToken cancellationToken = default) =>
        _suspensions.LoadCheckpointAsync(id, cancellationToken);

    public Task<IReadOnlyList<string>> ListReadyWaitersAsync(IReadOnlyCollection<string> finishedIds, CancellationToken cancellationToken = default) =>
        _suspensions.ListReadyWaitersAsync(finishedIds, cancellationToken);

    public Task<IReadOnlyList<string>> ListDueSuspensionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        _suspensions.ListDueSuspensionsAsync(now, limit, cancellationToken);

    public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotentStart start, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken = default) =>
        _idempotency.ClaimIdempotencyKeyAsync(start, now, expiredBefore, cancellationToken);

    public Task SetIdempotencyExecutionAsync(string callerKey, string key, string executionId, CancellationToken cancellationToken = default) =>
        _idempotency.SetIdempotencyExecutionAsync(callerKey, key, executionId, cancellationToken);

    public Task ReleaseIdempotencyKeyAsync(string callerKey, string key, CancellationToken cancellationToken = default) =>
        _idempotency.ReleaseIdempotencyKeyAsync(callerKey, key, cancellationToken);

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default) =>
        _idempotency.PurgeIdempotencyKeysAsync(createdBefore, cancellationToken);

    public Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _maintenance.FailUnfinishedAsync(error, at, cancellationToken);

    public Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        _maintenance.RenewLeasesAsync(ids, expiresAt, cancellationToken);

    public Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _maintenance.ListExpiredLeasesAsync(now, cancellationToken);

    public Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken = default) =>
        _maintenance.PurgeFinishedAsync(completedBefore, limit, cancellationToken);
}
