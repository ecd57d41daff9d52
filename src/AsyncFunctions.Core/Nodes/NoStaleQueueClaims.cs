namespace AsyncFunctions.Nodes;

/// <summary>For job storages without a queue to clean (in-memory jobs on one node): finds nothing.</summary>
public sealed class NoStaleQueueClaims : IStaleQueueClaims
{
    public Task<QueueClaims> FindAsync(string jobId, CancellationToken cancellationToken = default) => Task.FromResult(QueueClaims.None(jobId));

    public Task<int> RemoveAsync(QueueClaims claims, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<IReadOnlyList<string>> RequeueUnstartedAsync(string nodeId, DateTimeOffset fetchedBy, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task AnnounceAsync(string nodeId, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<int> ReleaseLocksAsync(string nodeId, IReadOnlyCollection<string>? jobIds, CancellationToken cancellationToken = default) => Task.FromResult(0);
}
