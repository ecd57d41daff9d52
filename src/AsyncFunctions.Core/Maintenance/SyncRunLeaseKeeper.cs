using AsyncFunctions.Executions;
using AsyncFunctions.Recording;
using AsyncFunctions.Running;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Maintenance;

/// <summary>
/// Every quarter of <see cref="ExecutionOptions.SyncRunLease"/>: renews the leases of this node's
/// sync runs in one statement, then ends the unfinished runs whose lease expired, which a stopped
/// node left behind, as <c>execution.lost</c>, through the <see cref="StatusChangeRecorder"/>
/// (waiters, event streams and webhooks hear of it). Every node does this; the writes are idempotent.
/// </summary>
public sealed partial class SyncRunLeaseKeeper(
    SyncRunLeases leases,
    IExecutionStore store,
    StatusChangeRecorder recorder,
    IOptions<ExecutionOptions> options,
    TimeProvider time,
    ILogger<SyncRunLeaseKeeper> logger) : BackgroundService
{
    private static readonly StatusChangeOrigin Origin = new(StatusChangeSource.LeaseExpired);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = options.Value.SyncRunLease;
        return PeriodicLoop.RunAsync(lease / 4, time, runAtStart: true, token => RenewAndSweepAsync(lease, token), LogRoundFailed, stoppingToken);
    }

    /// <summary>One round: renews this node's leases, then ends the expired runs of other nodes; returns how many it ended.</summary>
    public async Task<int> RenewAndSweepAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        var mine = leases.Snapshot();
        if (mine.Count > 0)
        {
            await store.RenewLeasesAsync(mine, time.GetUtcNow() + lease, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var ended = 0;
        foreach (var expired in await store.ListExpiredLeasesAsync(now, cancellationToken).ConfigureAwait(false))
        {
            if (leases.Contains(expired.Id))
            {
                continue;
            }

            var error = new ExecutionError(
                ExecutionErrorTypes.Platform,
                "The node running this sync execution stopped before it finished (its lease expired). Start it again if it is still needed.",
                ExecutionErrorCodes.Lost);
            if (await recorder.RecordAsync(new StatusChange(expired.Id, expired.Function, ExecutionStatus.Failed, now) { Error = error }, Origin, cancellationToken).ConfigureAwait(false))
            {
                ended++;
                LogLost(expired.Id, expired.Function);
            }
        }

        return ended;
    }

    [LoggerMessage(LogLevel.Warning, "Sync execution {Id} of {Function} lost its node; it is now Failed with code execution.lost.")]
    private partial void LogLost(string id, string function);

    [LoggerMessage(LogLevel.Warning, "Renewing or sweeping sync-run leases failed; trying again next round.")]
    private partial void LogRoundFailed(Exception exception);
}
