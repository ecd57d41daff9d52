using System.Globalization;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Nodes;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Nodes;

/// <summary>
/// Takes a dead node's work over, once its takeover was claimed: releases the job storage locks
/// it held, requeues the jobs its Hangfire server was processing (unless a living worker fetched one again
/// after the storage's invisibility timeout) or had fetched without starting,
/// removes the queue entries the dead node had fetched for them, and ends its sync runs (whose
/// callers were connected to it) as <c>execution.lost</c>.
/// </summary>
public sealed partial class ExecutionTakeover(
    JobStorage storage,
    IBackgroundJobClient jobs,
    INodeHeartbeatStore nodes,
    IStaleQueueClaims queueClaims,
    IExecutionStore store,
    IOptions<ServerOptions> options,
    TimeProvider time,
    ILogger<ExecutionTakeover> logger)
{
    private const int Page = 500;

    /// <summary>The start of the reason of a requeue by takeover, as the job's history shows it.</summary>
    public const string ReasonPrefix = "Taken over from node ";

    /// <summary>Returns how many executions it requeued or ended.</summary>
    public async Task<int> TakeOverAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var requeued = node.ServerId is { } serverId
            ? await RequeueAsync(node, serverId, cancellationToken).ConfigureAwait(false) + await RequeueUnstartedAsync(node, cancellationToken).ConfigureAwait(false)
            : 0;
        var ended = await EndSyncRunsAsync(node, cancellationToken).ConfigureAwait(false);
        await nodes.RecordTakenOverAsync(node.NodeId, requeued + ended, cancellationToken).ConfigureAwait(false);
        await ReleaseRemainingLocksAsync(node, cancellationToken).ConfigureAwait(false);
        return requeued + ended;
    }

    /// <summary>
    /// The rest of the dead node's locks (a resume or a schedule it was making), after its work is
    /// back: best effort, a failure is logged and leaves them to their expiry.
    /// </summary>
    private async Task ReleaseRemainingLocksAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        try
        {
            var released = await queueClaims.ReleaseLocksAsync(node.NodeId, null, cancellationToken).ConfigureAwait(false);
            if (released > 0)
            {
                LogLocksReleased(released, node.NodeId);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Its locks then expire as before; the takeover itself is done.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogLockReleaseFailed(ex, node.NodeId);
        }
    }

    /// <summary>The reason written on the Enqueued state (Hangfire.SqlServer keeps 100 characters of it).</summary>
    public static string Reason(NodeRecord node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return string.Create(CultureInfo.InvariantCulture, $"{ReasonPrefix}{node.NodeId} (no heartbeat since {node.LastHeartbeatAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)");
    }

    private async Task<int> RequeueAsync(NodeRecord node, string serverId, CancellationToken cancellationToken)
    {
        var reason = Reason(node);
        var requeued = 0;
        var began = time.GetTimestamp();
        var processing = ProcessingOn(serverId);
        // A job whose state change was under way on the dead node is still locked by it, and the
        // requeue would wait for that lock's expiry (30 s on Redis).
        var released = await queueClaims.ReleaseLocksAsync(node.NodeId, processing, cancellationToken).ConfigureAwait(false);
        LogListed(processing.Count, node.NodeId, released, time.GetElapsedTime(began).TotalMilliseconds);
        foreach (var id in processing)
        {
            if (!StillProcessingOn(id, serverId))
            {
                continue;
            }

            // The dead node's fetched entry: left in place it becomes visible after the storage's
            // invisibility timeout and hands the job to another worker, which may happen at any
            // moment from here on. An entry fetched or renewed within half the node timeout is a
            // living worker's (the dead node's renewals stopped with its heartbeats): the job is
            // that worker's to run, and a requeue would run it twice. Otherwise the entry is held
            // (stamped as fetched, if unchanged) so that no worker can take it between the look at
            // the job's server below and the requeue; it is removed once the requeue added the
            // job's new entry. A takeover that dies in between leaves it to the invisibility timeout.
            var claims = await queueClaims.FindAsync(id, cancellationToken).ConfigureAwait(false);
            var timeout = options.Value.NodeTimeout;
            if (claims.RenewedWithin(timeout / 2) || !await queueClaims.HoldAsync(claims, timeout, cancellationToken).ConfigureAwait(false))
            {
                LogRefetched(id, node.NodeId);
                continue;
            }

            // Looked at again now that no worker can fetch the entry: one that took it before the
            // hold and moved the job to Processing on its own server has it (the requeue names only
            // the state it expects, not the server).
            if (!StillProcessingOn(id, serverId))
            {
                await queueClaims.RemoveAsync(claims, cancellationToken).ConfigureAwait(false);
                LogRefetched(id, node.NodeId);
                continue;
            }

            var record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (jobs.ChangeState(id, NextState(record, reason), ProcessingState.StateName))
            {
                requeued++;
                var removed = await queueClaims.RemoveAsync(claims, cancellationToken).ConfigureAwait(false);
                LogRequeued(id, node.NodeId, removed, time.GetElapsedTime(began).TotalMilliseconds);
            }
        }

        return requeued;
    }

    /// <summary>
    /// The jobs the dead node had fetched but not yet moved to Processing (a window of milliseconds
    /// that grows to seconds on a starved machine), where the job storage tells when a job was
    /// fetched: fetched by the dead node's clock no later than its last heartbeat plus half the
    /// node timeout. It died within about one heartbeat interval of that heartbeat, so this takes
    /// all of its fetches, and a living node's only if it left one unstarted for half the node
    /// timeout (that job then starts twice, and the stale start is stopped as a taken-over run
    /// is). Left alone, they waited for the storage's invisibility timeout.
    /// </summary>
    private async Task<int> RequeueUnstartedAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        var fetchedBy = node.LastHeartbeatAt + options.Value.NodeTimeout / 2;
        var ids = await queueClaims.RequeueUnstartedAsync(node.NodeId, fetchedBy, cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            LogUnstartedRequeued(id, node.NodeId);
        }

        return ids.Count;
    }

    /// <summary>
    /// Enqueued, unless the record shows the run suspended: the node died between recording the
    /// suspension and Hangfire's commit of it. The takeover then completes that suspension (the
    /// checkpoint is saved), so the execution resumes once, when what it awaits is done, instead
    /// of running again at once and counting a resume that never happened.
    /// </summary>
    private IState NextState(ExecutionRecord? record, string reason)
    {
        if (record is not { Status: ExecutionStatus.Awaiting })
        {
            return new EnqueuedState { Reason = reason };
        }

        var wakeAt = record.WakeAt ?? time.GetUtcNow();
        return record.WaitingFor is { Count: > 0 } waitingFor
            ? new States.SuspendedState(waitingFor, wakeAt, record.AwaitingSince ?? time.GetUtcNow()) { Reason = reason }
            : new States.SleepingState(wakeAt.UtcDateTime) { Reason = reason };
    }

    private List<string> ProcessingOn(string serverId)
    {
        var monitoring = storage.GetMonitoringApi();
        var ids = new List<string>();
        for (var from = 0; ; from += Page)
        {
            var page = monitoring.ProcessingJobs(from, Page);
            ids.AddRange(page.Where(j => string.Equals(j.Value?.ServerId, serverId, StringComparison.OrdinalIgnoreCase)).Select(j => j.Key));
            if (page.Count < Page)
            {
                return ids;
            }
        }
    }

    private bool StillProcessingOn(string id, string serverId)
    {
        using var connection = storage.GetConnection();
        var state = connection.GetStateData(id);
        return state is not null
            && string.Equals(state.Name, ProcessingState.StateName, StringComparison.OrdinalIgnoreCase)
            && state.Data.TryGetValue("ServerId", out var server)
            && string.Equals(server, serverId, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<int> EndSyncRunsAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        var ended = 0;
        foreach (var run in await nodes.ListSyncRunsAsync(node.NodeId, cancellationToken).ConfigureAwait(false))
        {
            var error = new ExecutionError(
                "NodeStopped",
                $"The node running this sync execution ({node.NodeId}) stopped sending heartbeats before it finished. Start it again if it is still needed.",
                ExecutionErrorCodes.Lost);
            if (await store.ApplyAsync(new StatusChange(run.Id, run.Function, ExecutionStatus.Failed, time.GetUtcNow()) { Error = error }, cancellationToken).ConfigureAwait(false))
            {
                ended++;
                LogSyncRunEnded(run.Id, node.NodeId);
            }
        }

        return ended;
    }

    [LoggerMessage(LogLevel.Warning, "Execution {Id} was requeued: node {Node}, which was running it, stopped sending heartbeats ({Removed} fetched queue entry of that node removed; {Milliseconds:F0} ms into the takeover).")]
    private partial void LogRequeued(string id, string node, int removed, double milliseconds);

    [LoggerMessage(LogLevel.Warning, "Taking node {Node} over: {Count} jobs Processing on it, {Released} of their locks it held released ({Milliseconds:F0} ms).")]
    private partial void LogListed(int count, string node, int released, double milliseconds);

    [LoggerMessage(LogLevel.Warning, "Execution {Id} was requeued: node {Node} had fetched it from its queue but not started it when it stopped sending heartbeats.")]
    private partial void LogUnstartedRequeued(string id, string node);

    [LoggerMessage(LogLevel.Warning, "Released {Count} job storage locks that node {Node} held when it stopped sending heartbeats.")]
    private partial void LogLocksReleased(int count, string node);

    [LoggerMessage(LogLevel.Warning, "Releasing the remaining job storage locks of node {Node} failed; they expire by themselves.")]
    private partial void LogLockReleaseFailed(Exception exception, string node);

    [LoggerMessage(LogLevel.Information, "Execution {Id}, which node {Node} was running, was fetched again by a living worker (its invisibility timeout had passed): left to that worker.")]
    private partial void LogRefetched(string id, string node);

    [LoggerMessage(LogLevel.Warning, "Sync execution {Id} is now Failed with code execution.lost: node {Node}, which was running it, stopped sending heartbeats.")]
    private partial void LogSyncRunEnded(string id, string node);
}
