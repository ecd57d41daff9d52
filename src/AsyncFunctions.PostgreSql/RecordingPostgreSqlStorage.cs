using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql whose write transactions also commit the results table's writes of a job's
/// state change (<see cref="RecordingWriteTransaction"/>). It must take its connections from the
/// results table's pool with <c>Enlist=true</c> (<see cref="SharedPoolConnectionFactory"/>), so the
/// two share one physical connection and one local transaction.
/// </summary>
internal sealed class RecordingPostgreSqlStorage(IConnectionFactory connections, PostgreSqlStorageOptions options, JobArrivals arrivals)
    : PromptLockPostgreSqlStorage(connections, options, arrivals)
{
    public override IStorageConnection GetConnection()
    {
        // The base connection has nothing to release: this only keeps the base's first-use checks.
        base.GetConnection().Dispose();
        return new RecordingConnection(this);
    }

    /// <summary>Workers hand the job they fetched to the final state's transaction, which removes it from the queue.</summary>
    public override bool HasFeature(string featureId) =>
        string.Equals(featureId, TransactionalAck, StringComparison.OrdinalIgnoreCase) || base.HasFeature(featureId);

    private static readonly string TransactionalAck = JobStorageFeatures.Transaction.RemoveFromQueue(typeof(TransactionalAckFetchedJob));

    /// <summary>Hangfire.PostgreSql's connection (job locks taken promptly), whose write transactions record on commit.</summary>
    private sealed class RecordingConnection(RecordingPostgreSqlStorage storage) : PromptLockConnection(storage, storage.JobLocks, storage.JobFetch, storage.Arrivals)
    {
        public override IWriteOnlyTransaction CreateWriteTransaction() => new RecordingWriteTransaction(storage, storage.Arrivals);

        public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken) =>
            new TransactionalAckFetchedJob(base.FetchNextJob(queues, cancellationToken));
    }
}
