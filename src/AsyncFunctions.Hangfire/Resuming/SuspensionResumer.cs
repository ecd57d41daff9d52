using System.Threading.Channels;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Maintenance;
using AsyncFunctions.Running;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Resuming;

/// <summary>
/// Queues suspended executions again. Three sources, every node running all three:
/// <list type="bullet">
/// <item>executions that finished on this node: one query finds their waiters whose every awaited
/// execution is now finished;</item>
/// <item>a sweep every <see cref="ExecutionOptions.ResumeSweepInterval"/> for awaits whose deadline
/// passed, and for ready ones nobody resumed (their node stopped in between).</item>
/// </list>
/// A resume is Hangfire's <c>ChangeState(id, Enqueued, expectedState: Suspended)</c>, made under the
/// job's distributed lock: of any number of resumers on any number of nodes, one wins and the
/// others find the job no longer suspended. The suspension filter re-reads the awaited results
/// under that same lock, so a child that finishes while its parent suspends is never missed.
/// </summary>
public sealed partial class SuspensionResumer(
    ResumeRequests requests,
    IExecutionStore store,
    IBackgroundJobClient jobs,
    JobStorage storage,
    JobCreationThreads threads,
    IOptions<ExecutionOptions> options,
    TimeProvider time,
    ILogger<SuspensionResumer> logger) : BackgroundService
{
    private const int BatchSize = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            DrainAsync(requests.FinishedIds, ResumeWaitersOfAsync, stoppingToken),
            SweepAsync(stoppingToken));

    /// <summary>
    /// Resumes one suspended execution; false when it was not suspended (any more). Reads the
    /// job's state first and waits while its suspension is still being committed (it reads as
    /// Processing); the change then takes the job's lock, which the suspending worker lets go just
    /// after its commit: every job storage takes a held job lock again within milliseconds (the
    /// platform's own job locks on PostgreSQL, a back-off from 0-2 ms on Redis, a wait the release
    /// ends on SQL Server and in memory), so a fresh suspension is resumed without waiting first.
    /// </summary>
    public async Task<bool> TryResumeAsync(string id, string reason, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(2);
        for (var look = 0; look < 10; look++)
        {
            var state = await threads.RunAsync(() => CurrentState(id), cancellationToken).ConfigureAwait(false);
            if (state?.Name == SuspendedState.StateName)
            {
                return await threads.RunAsync(() => jobs.ChangeState(id, new EnqueuedState { Reason = reason }, SuspendedState.StateName), cancellationToken).ConfigureAwait(false);
            }

            if (state?.Name != ProcessingState.StateName)
            {
                return false;
            }

            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            pause *= 2;
        }

        return false;
    }

    private global::Hangfire.Storage.StateData? CurrentState(string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(id);
    }

    /// <summary>One round of the sweep; returns how many it resumed.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var due = await store.ListDueSuspensionsAsync(time.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
        return await ResumeAllAsync(due, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ResumeWaitersOfAsync(IReadOnlyList<string> finished, CancellationToken cancellationToken)
    {
        var ready = await store.ListReadyWaitersAsync(finished, cancellationToken).ConfigureAwait(false);
        return await ResumeAllAsync(ready, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ResumeAllAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var resumed = await Task.WhenAll(ids.Distinct(StringComparer.Ordinal).Select(id => TryResumeAsync(id, "Resumed: what it awaited finished, or its deadline passed", cancellationToken))).ConfigureAwait(false);
        return resumed.Count(r => r);
    }

    /// <summary>
    /// While executions keep finishing, rounds start at most this often: one query then serves every
    /// execution that finished since the previous round, instead of a query (a connection, a round
    /// trip and their thread-pool work) for every few. Under load almost none of them has a waiter,
    /// so the queries are nearly all empty, and each cost the node as much as a status write. An idle
    /// node answers the first finish at once; under load a resume comes at most this much later.
    /// </summary>
    public static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(10);

    private async Task DrainAsync(ChannelReader<string> reader, Func<IReadOnlyList<string>, CancellationToken, Task<int>> handle, CancellationToken stoppingToken)
    {
        var batch = new List<string>(BatchSize);
        var previousRoundStart = long.MinValue;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                if (previousRoundStart != long.MinValue && time.GetElapsedTime(previousRoundStart) is var since && since < RoundInterval)
                {
                    await Task.Delay(RoundInterval - since, time, stoppingToken).ConfigureAwait(false);
                }

                previousRoundStart = time.GetTimestamp();
                batch.Clear();
                while (batch.Count < BatchSize && reader.TryRead(out var id))
                {
                    batch.Add(id);
                }

                try
                {
                    await handle(batch, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed round is logged; the sweep finds what it missed.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogRoundFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private Task SweepAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(options.Value.ResumeSweepInterval, time, runAtStart: false, SweepOnceAsync, LogRoundFailed, stoppingToken);

    [LoggerMessage(LogLevel.Warning, "Resuming suspended executions failed; the next sweep tries again.")]
    private partial void LogRoundFailed(Exception exception);
}
