using System.Diagnostics;
using System.Globalization;
using AsyncFunctions.Storage.PostgreSql;
using Dapper;
using Hangfire.PostgreSql;
using Npgsql;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Job state locks (<c>job:{id}:state-lock</c>, held by every state change of a job), taken and
/// given back in one round trip each whose commit does not wait for a WAL flush, and taken promptly
/// once their holder lets them go. They are Hangfire.PostgreSql's own locks (the same rows of its
/// <c>lock</c> table, named as it names them), so nodes without this exclude each other just the
/// same. Hangfire.PostgreSql takes one in four round trips with two commits, each flushed to disk,
/// gives it back in a third flushed commit, and tries a held lock again only after a second: a
/// freed concurrency slot's next execution passes three such locks (the holder's final state, the
/// waiter's enqueue, its start), and the worker that fetches a job the moment its enqueue commits
/// finds the enqueuer still holding the job's lock. Here a held lock is tried again after 1, 2, 4,
/// ... ms, at most every <see cref="LongestPause"/>. Other locks (recurring jobs, migrations,
/// counters) keep Hangfire.PostgreSql's way: they are held for longer and a prompt retry would only poll.
/// </summary>
internal sealed class PromptJobLocks(IConnectionFactory connections, PostgreSqlStorageOptions options)
{
    /// <summary>The longest pause between two tries of a held job lock.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(25);

    private readonly string _takeSql = PostgreSqlDialect.TakeHangfireLockSql(options.SchemaName);
    private readonly string _releaseSql = PostgreSqlDialect.ReleaseHangfireLockSql(options.SchemaName);

    /// <summary>Whether <paramref name="resource"/> (as Hangfire names it, without the schema) is a job's state lock.</summary>
    public static bool IsJobStateLock(string resource) =>
        resource.StartsWith("job:", StringComparison.Ordinal) && resource.EndsWith(":state-lock", StringComparison.Ordinal);

    /// <summary>
    /// Whether this takes <paramref name="resource"/>: a job's state lock, outside an ambient
    /// transaction (there Hangfire.PostgreSql's own lock joins it) and with Hangfire.PostgreSql's
    /// native transactions (its default; the other mode keeps its own lock rows' update counts).
    /// </summary>
    public bool Handles([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? resource) =>
        resource is not null && IsJobStateLock(resource) && options.UseNativeDatabaseTransactions && System.Transactions.Transaction.Current is null;

    /// <summary>
    /// Takes the lock on <paramref name="resource"/> (as Hangfire names it, without the schema),
    /// trying again promptly while it is held; throws Hangfire.PostgreSql's
    /// <see cref="PostgreSqlDistributedLockException"/> (a Hangfire <c>DistributedLockTimeoutException</c>)
    /// once <paramref name="timeout"/> passed. Disposing the result gives it back.
    /// </summary>
    public IDisposable Acquire(string resource, TimeSpan timeout, Action<TimeSpan>? pauseFor = null)
    {
        var named = $"{options.SchemaName}:{resource}";
        Acquire(() => TryTake(named), timeout, pauseFor ?? Thread.Sleep, named);
        return new Held(this, named);
    }

    /// <summary>
    /// Tries <paramref name="tryTake"/> until it succeeds, pausing 1, 2, 4, ... ms (at most
    /// <see cref="LongestPause"/>) between tries, and throws once <paramref name="timeout"/> passed.
    /// </summary>
    public static void Acquire(Func<bool> tryTake, TimeSpan timeout, Action<TimeSpan> pauseFor, string resource)
    {
        ArgumentNullException.ThrowIfNull(tryTake);
        ArgumentNullException.ThrowIfNull(pauseFor);
        var elapsed = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(1);
        while (!tryTake())
        {
            var left = timeout - elapsed.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new PostgreSqlDistributedLockException(resource);
            }

            pauseFor(pause < left ? pause : left);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    private bool TryTake(string resource)
    {
        var now = DateTime.UtcNow;
        using var connection = Open();
        return connection.ExecuteScalar<long>(_takeSql, new { Resource = resource, Acquired = now, Expired = now - options.DistributedLockTimeout }) > 0;
    }

    private void Release(string resource)
    {
        using var connection = Open();
        connection.ExecuteScalar<long>(_releaseSql, new { Resource = resource });
    }

    private NpgsqlConnection Open()
    {
        var connection = connections.GetOrCreateConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class Held(PromptJobLocks locks, string resource) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                locks.Release(resource);
            }
#pragma warning disable CA1031 // As Hangfire.PostgreSql's own release on dispose: a row left behind expires after DistributedLockTimeout.
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
#pragma warning restore CA1031
            {
                System.Diagnostics.Trace.TraceWarning(string.Create(CultureInfo.InvariantCulture, $"Releasing the lock {resource} failed; it expires on its own: {ex.Message}"));
            }
        }
    }
}
