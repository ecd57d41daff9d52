using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>Hangfire.PostgreSql whose connections take job state locks promptly (<see cref="PromptJobLocks"/>).</summary>
internal class PromptLockPostgreSqlStorage(IConnectionFactory connections, PostgreSqlStorageOptions options)
    : PostgreSqlStorage(connections, options)
{
    /// <summary>The job state locks every connection of this storage takes.</summary>
    internal PromptJobLocks JobLocks { get; } = new(connections, options);

    public override IStorageConnection GetConnection()
    {
        // The base connection has nothing to release: this only keeps the base's first-use checks.
        base.GetConnection().Dispose();
        return new PromptLockConnection(this, JobLocks);
    }
}
