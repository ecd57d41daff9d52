using Hangfire.PostgreSql;

namespace AsyncFunctions.PostgreSql;

/// <summary>Hangfire.PostgreSql's connection, whose job state locks are tried again within milliseconds.</summary>
internal class PromptLockConnection(PostgreSqlStorage storage) : PostgreSqlConnection(storage)
{
    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout) =>
        resource is not null && PromptJobLocks.IsJobStateLock(resource)
            ? PromptJobLocks.Acquire(left => base.AcquireDistributedLock(resource, left), timeout)
            : base.AcquireDistributedLock(resource, timeout);
}
