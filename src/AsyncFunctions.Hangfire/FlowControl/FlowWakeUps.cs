using AsyncFunctions.FlowControl;
using AsyncFunctions.Hangfire.Jobs;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Maintenance;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.FlowControl;

/// <summary>
/// Queues the executions the store handed slots to: <c>ChangeState(id, Enqueued, expectedState:
/// Waiting)</c> under the job's lock, so of several wakers one wins. Told by the slot release inside
/// another job's state change, it works on its own loop; the admission filter then finds the slots
/// held and lets the job through. A waiter handed a slot is queued by that one call, without reading
/// its state first and however recently it began to wait (should its Waiting state change still
/// hold the job's lock, the call takes it within milliseconds of its release); only when the call
/// finds the job not Waiting is its state read: one whose Waiting state is not committed yet is
/// looked at again for a while; what is still missed is found by the repair sweep every
/// <see cref="AdmissionOptions.SweepInterval"/>, which also frees the slots of executions that
/// finished without giving them back.
/// </summary>
public sealed partial class FlowWakeUps(
    FlowWakeUpQueue queue,
    IFlowAdmissionStore store,
    IBackgroundJobClient jobs,
    JobStorage storage,
    JobCreationThreads threads,
    IOptions<AdmissionOptions> options,
    TimeProvider time,
    ILogger<FlowWakeUps> logger) : BackgroundService
{
    /// <summary>The longest pause between two looks at a job whose Waiting state is not committed yet.</summary>
    private static readonly TimeSpan LongestLookPause = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a job whose Waiting state never shows up is looked at before the sweep is left to it.</summary>
    private static readonly TimeSpan UncommittedPatience = TimeSpan.FromSeconds(3);

    private static readonly HashSet<string> Finished = new([SucceededState.StateName, DeletedState.StateName, FailedState.StateName], StringComparer.OrdinalIgnoreCase);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            DrainAsync(stoppingToken),
            PeriodicLoop.RunAsync(options.Value.SweepInterval, time, runAtStart: false, SweepOnceAsync, LogSweepFailed, stoppingToken));

    /// <summary>One repair round; returns how many executions it queued.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var repair = await store.RepairAsync(now, now - options.Value.OrphanAge, cancellationToken).ConfigureAwait(false);
        var grantedAt = repair.Granted.GroupBy(g => g.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().GrantedAt, StringComparer.Ordinal);
        var ids = repair.Granted.Select(g => g.Id).Concat(repair.StillWaiting).Distinct(StringComparer.Ordinal).ToList();
        var woken = await Task.WhenAll(ids.Select(id => TryWakeAsync(id, cancellationToken, grantedAt.GetValueOrDefault(id)))).ConfigureAwait(false);
        return woken.Count(w => w);
    }

    /// <summary>
    /// Queues a waiter the slot release handed its slots to: one <c>ChangeState</c>, which succeeds
    /// whenever its Waiting state is committed; otherwise as <see cref="TryWakeAsync"/>.
    /// </summary>
    public async Task<bool> WakeGrantedAsync(GrantedWaiter waiter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiter);
        if (await threads.RunAsync(() => Admit(waiter.Id, waiter.GrantedAt), cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // Not Waiting when its lock was taken: its Waiting state may still be on the way, or it ended.
        return await TryWakeAsync(waiter.Id, cancellationToken, waiter.GrantedAt).ConfigureAwait(false);
    }

    /// <summary>Moves one job from Waiting to Enqueued; false when it was not waiting (any more) or its state never showed up.</summary>
    public async Task<bool> TryWakeAsync(string id, CancellationToken cancellationToken, DateTimeOffset? grantedAt = null)
    {
        var pause = TimeSpan.FromMilliseconds(1);
        var looking = time.GetTimestamp();
        while (true)
        {
            var state = await threads.RunAsync(() => CurrentState(id), cancellationToken).ConfigureAwait(false);
            if (state?.Name == WaitingState.StateName)
            {
                return await threads.RunAsync(() => Admit(id, grantedAt), cancellationToken).ConfigureAwait(false);
            }

            if (state is not null && Finished.Contains(state.Name))
            {
                return false;
            }

            // Its Waiting state (or its creation) is still being committed: looked at again soon,
            // as the hand-over waits for it, for up to a few seconds.
            if (time.GetElapsedTime(looking) > UncommittedPatience)
            {
                return false;
            }

            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 < LongestLookPause ? pause * 2 : LongestLookPause;
        }
    }

    private bool Admit(string id, DateTimeOffset? grantedAt) =>
        jobs.ChangeState(id, new AdmittedState { Reason = "Admitted: a slot of every limit was handed to it", GrantedAt = grantedAt?.UtcDateTime }, WaitingState.StateName);

    private global::Hangfire.Storage.StateData? CurrentState(string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(id);
    }

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (queue.Reader.TryRead(out var waiter))
                {
                    _ = WakeLoggedAsync(waiter, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WakeLoggedAsync(GrantedWaiter waiter, CancellationToken stoppingToken)
    {
        try
        {
            await WakeGrantedAsync(waiter, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed wake-up is logged; the sweep queues the job.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogWakeFailed(ex, waiter.Id);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Queuing waiting execution {Id} failed; the admission sweep tries again.")]
    private partial void LogWakeFailed(Exception exception, string id);

    [LoggerMessage(LogLevel.Warning, "The admission sweep failed; the next round tries again.")]
    private partial void LogSweepFailed(Exception exception);
}
