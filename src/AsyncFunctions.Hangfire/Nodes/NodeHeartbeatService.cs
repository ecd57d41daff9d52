using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Nodes;
using AsyncFunctions.Running;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>
/// Every <see cref="ServerOptions.HeartbeatInterval"/>: records this node's heartbeat (and which
/// sync runs it runs); twice as often, reads every node's row, and for each node silent for
/// <see cref="ServerOptions.NodeTimeout"/> tries to claim its takeover; the one node whose claim
/// succeeds requeues its work (<see cref="ExecutionTakeover"/>). Runs on shared topologies only:
/// the embedded default has one node, and its restart rule ends what a stopped run left behind.
/// </summary>
public sealed partial class NodeHeartbeatService(
    StorageProvider provider,
    NodeIdentity identity,
    INodeHeartbeatStore nodes,
    ExecutionTakeover takeover,
    IStaleQueueClaims queueClaims,
    SyncRunLeases syncRuns,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<NodeHeartbeatService> logger) : BackgroundService
{
    /// <summary>Rows of nodes silent this long are deleted.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private readonly HashSet<string> _markedSyncRuns = new(StringComparer.Ordinal);
    private long? _noticedTakeoverBeats;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!provider.JobsSurviveRestart)
        {
            return;
        }

        var settings = options.Value;
        identity.StartHeartbeating();
        var detector = new NodeFailureDetector(time, settings.NodeTimeout);
        // Watching twice per heartbeat interval notices a silent node up to half an interval sooner;
        // it reads a few rows.
        using var timer = new PeriodicTimer(settings.HeartbeatInterval / 2, time);
        var tick = 0L;
        var announced = false;
        do
        {
            try
            {
                // Before the first beat: a node seen alive can have its locks released when it dies.
                announced = announced || await TryAnnounceAsync(stoppingToken).ConfigureAwait(false);

                if (tick++ % 2 == 0)
                {
                    await BeatAsync(stoppingToken).ConfigureAwait(false);
                }

                await WatchAsync(detector, stoppingToken).ConfigureAwait(false);
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

    /// <summary>Records how the job storage names this node's locks; a failure is logged and tried again next round, and never holds up a beat.</summary>
    private async Task<bool> TryAnnounceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queueClaims.AnnounceAsync(identity.NodeId, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Without it only this node's locks outlive it longer; the beat goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogAnnounceFailed(ex);
            return false;
        }
    }

    internal async Task BeatAsync(CancellationToken cancellationToken)
    {
        var started = identity.Now();
        var beat = await nodes.BeatAsync(identity.NodeId, identity.ServerId, identity.StartedAt, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        identity.BeatWritten(started);
        if (beat.TakenOverBeats is { } claimed && claimed != _noticedTakeoverBeats)
        {
            _noticedTakeoverBeats = claimed;
            identity.TakeoverNoticed(identity.Now());
            LogTakenOver(identity.NodeId, beat.TakenOverBy ?? "another node");
        }

        var running = syncRuns.Snapshot();
        _markedSyncRuns.IntersectWith(running);
        var unmarked = running.Where(id => !_markedSyncRuns.Contains(id)).ToList();
        if (unmarked.Count > 0)
        {
            await nodes.MarkSyncRunsAsync(identity.NodeId, unmarked, cancellationToken).ConfigureAwait(false);
            _markedSyncRuns.UnionWith(unmarked);
        }
    }

    internal async Task WatchAsync(NodeFailureDetector detector, CancellationToken cancellationToken)
    {
        var all = await nodes.ListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var silent in detector.Observe(all, identity.NodeId))
        {
            var node = silent.Node;
            if (!await nodes.ClaimTakeoverAsync(node.NodeId, node.Beats, identity.NodeId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            LogClaimed(node.NodeId, silent.SilentFor.TotalSeconds);
            var count = await takeover.TakeOverAsync(node, cancellationToken).ConfigureAwait(false);
            LogTookOver(node.NodeId, count);
        }

        var forgetBefore = time.GetUtcNow() - ForgetAfter;
        if (all.Any(n => n.LastHeartbeatAt < forgetBefore))
        {
            await nodes.ForgetAsync(forgetBefore, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Node {Node} sent no heartbeat for {Seconds:F1} s; this node takes its work over.")]
    private partial void LogClaimed(string node, double seconds);

    [LoggerMessage(LogLevel.Warning, "Took over node {Node}: {Count} executions requeued or ended.")]
    private partial void LogTookOver(string node, int count);

    [LoggerMessage(LogLevel.Error, "This node ({Node}) was silent past the node timeout and {By} took its work over; runs it still had end without an outcome.")]
    private partial void LogTakenOver(string node, string by);

    [LoggerMessage(LogLevel.Warning, "Recording this node as a holder of job storage locks failed; trying again next round.")]
    private partial void LogAnnounceFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "A node heartbeat round failed; trying again next round.")]
    private partial void LogRoundFailed(Exception exception);
}
