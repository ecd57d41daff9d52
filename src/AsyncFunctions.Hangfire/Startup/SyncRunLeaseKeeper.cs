using AsyncFunctions.Executions;
using AsyncFunctions.Running;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Every quarter of <see cref="ExecutionOptions.SyncRunLease"/>: renews the leases of this node's
/// sync runs in one statement, then ends the unfinished runs whose lease expired, which a stopped
/// node left behind, as <c>execution.lost</c>. Every node does this; the writes are idempotent.
/// </summary>
public sealed partial class SyncRunLeaseKeeper(
    SyncRunLeases leases,
    IExecutionStore store,
    IOptions<ExecutionOptions> options,
    TimeProvider time,
    ILogger<SyncRunLeaseKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = options.Value.SyncRunLease;
        using var timer = new PeriodicTimer(lease / 4, time);
        do
        {
            try
            {
                await RenewAndSweepAsync(lease, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round (database away) is logged and tried again next round.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRoundFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    internal async Task RenewAndSweepAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        var mine = leases.Snapshot();
        if (mine.Count > 0)
        {
            await store.RenewLeasesAsync(mine, time.GetUtcNow() + lease, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
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
            if (await store.ApplyAsync(new StatusChange(expired.Id, expired.Function, ExecutionStatus.Failed, now) { Error = error }, cancellationToken).ConfigureAwait(false))
            {
                LogLost(expired.Id, expired.Function);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Sync execution {Id} of {Function} lost its node; it is now Failed with code execution.lost.")]
    private partial void LogLost(string id, string function);

    [LoggerMessage(LogLevel.Warning, "Renewing or sweeping sync-run leases failed; trying again next round.")]
    private partial void LogRoundFailed(Exception exception);
}
