using System.Diagnostics;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Takes a job's state lock (<c>job:{id}:state-lock</c>, held by every state change) promptly once
/// its holder lets it go. Hangfire.PostgreSql tries a held lock again only after a second: a worker
/// that fetches a job the moment its enqueue commits, before the enqueuer has released the job's
/// lock, so started it a second late (a freed concurrency slot's next execution, a resume). Here a
/// held job lock is tried again after 1, 2, 4, ... ms, at most every <see cref="LongestPause"/>,
/// through Hangfire.PostgreSql's own lock (the same table and rows, so nodes without this wait on
/// it just the same). Other locks (recurring jobs, migrations, counters) keep Hangfire.PostgreSql's
/// waiting: they are held for longer and a prompt retry would only poll.
/// </summary>
internal static class PromptJobLocks
{
    /// <summary>The longest pause between two tries of a held job lock.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(25);

    /// <summary>Whether <paramref name="resource"/> (as Hangfire names it, without the schema) is a job's state lock.</summary>
    public static bool IsJobStateLock(string resource) =>
        resource.StartsWith("job:", StringComparison.Ordinal) && resource.EndsWith(":state-lock", StringComparison.Ordinal);

    /// <summary>
    /// Takes the lock through <paramref name="take"/>, which tries for the time it is given (zero:
    /// once) and throws <see cref="DistributedLockTimeoutException"/> when the lock stays held.
    /// Within the last <see cref="LongestPause"/> of <paramref name="timeout"/> the rest is left to
    /// <paramref name="take"/>, which then throws as it always did.
    /// </summary>
    public static IDisposable Acquire(Func<TimeSpan, IDisposable> take, TimeSpan timeout, Action<TimeSpan>? pauseFor = null)
    {
        ArgumentNullException.ThrowIfNull(take);
        pauseFor ??= Thread.Sleep;
        var elapsed = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            var left = timeout - elapsed.Elapsed;
            if (left <= LongestPause)
            {
                return take(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }

            try
            {
                return take(TimeSpan.Zero);
            }
            catch (DistributedLockTimeoutException)
            {
                // Held: try again shortly (the base would wait a whole second).
            }

            pauseFor(pause);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }
}
