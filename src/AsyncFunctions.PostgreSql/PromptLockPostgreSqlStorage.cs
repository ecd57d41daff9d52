using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql whose connections take job state locks promptly (<see cref="PromptJobLocks"/>)
/// and fetch jobs through the node's one listener (<see cref="ListeningJobFetch"/>), and whose
/// enqueues wake the node's own idle workers once committed (<see cref="RingingWriteTransaction"/>).
/// </summary>
internal class PromptLockPostgreSqlStorage : PostgreSqlStorage
{
    public PromptLockPostgreSqlStorage(IConnectionFactory connections, PostgreSqlStorageOptions options, JobArrivals arrivals)
        : base(connections, options)
    {
        JobLocks = new PromptJobLocks(connections, options);
        JobFetch = new ListeningJobFetch(this, connections, options, arrivals);
        Arrivals = arrivals;
    }

    /// <summary>Where this node's idle workers wait, rung by the enqueues this node commits.</summary>
    internal JobArrivals Arrivals { get; }

    /// <summary>The job state locks every connection of this storage takes.</summary>
    internal PromptJobLocks JobLocks { get; }

    /// <summary>How every connection of this storage fetches a job.</summary>
    internal ListeningJobFetch JobFetch { get; }

    public override IStorageConnection GetConnection()
    {
        // The base connection has nothing to release: this only keeps the base's first-use checks.
        base.GetConnection().Dispose();
        return new PromptLockConnection(this, JobLocks, JobFetch, Arrivals);
    }
}
