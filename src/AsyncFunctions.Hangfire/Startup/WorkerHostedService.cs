using AsyncFunctions.FlowControl;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.Filters;
using AsyncFunctions.Maintenance;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Runs this node's Hangfire server, unless <see cref="ServerOptions.WorkerCount"/> is 0. The
/// activator and filters are this host's own, never Hangfire's static defaults. Taking
/// <see cref="IGlobalConfiguration"/> makes sure Hangfire's configuration ran before the server starts.
/// <para>
/// One server per node, whatever its queues (<see cref="QueuePlan"/>): a Hangfire
/// <see cref="BackgroundProcessingServer"/> with the processes Hangfire's own
/// <c>BackgroundJobServer</c> would give it (workers, the delayed and recurring job schedulers),
/// where the shared workers are one pool and a queue with workers of its own gets its own pool of
/// Hangfire <see cref="Worker"/>s taking only that queue. So every job of the node runs under one
/// server id, which node heartbeats, takeover and run ownership rely on, and the server's
/// cancellation watcher and shutdown cover every worker.
/// </para>
/// <para>
/// With no <c>Queues</c> setting the server starts once every hosted service has started (the
/// function folder is saved by then) and serves <c>default</c> and every queue the functions name;
/// its shared workers (<see cref="LiveQueueWorker"/>) take up a queue a function names later
/// (<see cref="ServedQueues"/>): at once when it is saved on this node, and within
/// <see cref="ServerOptions.QueueCheckInterval"/> when saved on another.
/// </para>
/// </summary>
public sealed partial class WorkerHostedService(
#pragma warning disable CS9113 // Resolved for its side effect: it applies Hangfire's configuration.
    IGlobalConfiguration configuration,
#pragma warning restore CS9113
    JobStorage storage,
    ExecutionFilterProvider filters,
    IServiceScopeFactory scopes,
    IOptions<ServerOptions> options,
    Nodes.NodeIdentity identity,
    IFunctionCatalog catalog,
    ServedQueues served,
    TimeProvider time,
    ILogger<WorkerHostedService> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private BackgroundProcessingServer? _server;
    private Task _queueCheck = Task.CompletedTask;

    /// <summary>The queues and workers of the running server as it started; null before it starts or on an API-only node.</summary>
    public QueuePlan? Plan { get; private set; }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.WorkerCount > 0 && settings.Queues.Length > 0)
        {
            Start(QueuePlan.From(settings.Queues, settings.WorkerCount, []), live: false);
        }

        return Task.CompletedTask;
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.WorkerCount == 0 || settings.Queues.Length > 0)
        {
            return;
        }

        // Live before the listing: a function saved meanwhile is taken up, not missed.
        served.Start([FunctionFlow.DefaultQueue]);
        var functions = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        served.TakeUp(functions.Select(f => f.Flow.Queue));
        Start(QueuePlan.From([], settings.WorkerCount, served.Current!.Queues), live: true);
        _queueCheck = PeriodicLoop.RunAsync(settings.QueueCheckInterval, time, runAtStart: false, served.CheckAsync, LogQueueCheckFailed, _stopping.Token);
    }

    private void LogQueueCheckFailed(Exception exception) => LogQueueCheckFailed(logger, exception);

    private void Start(QueuePlan plan, bool live)
    {
        var settings = options.Value;
        var activator = new AspNetCoreJobActivator(scopes);
        var performer = new BackgroundJobPerformer(filters, activator);
        var stateChanger = new BackgroundJobStateChanger(filters);
        var properties = new Dictionary<string, object>
        {
            ["Queues"] = plan.Queues.ToArray(),
            ["WorkerCount"] = plan.Workers,
        };
        var processes = new List<IBackgroundProcessDispatcherBuilder>();
        if (live)
        {
            processes.Add(new LiveQueueWorker(served, performer, stateChanger).UseBackgroundPool(plan.SharedWorkers));
            processes.Add(new ServedQueuesAnnouncer(served, properties, plan.Workers).UseBackgroundPool(1));
        }
        else if (plan.Shared.Count > 0)
        {
            processes.Add(new Worker(plan.Shared, performer, stateChanger).UseBackgroundPool(plan.SharedWorkers));
        }

        foreach (var dedicated in plan.Own)
        {
            processes.Add(new Worker([dedicated.Queue], performer, stateChanger).UseBackgroundPool(dedicated.Workers));
        }

        processes.Add(new DelayedJobScheduler(settings.SchedulePollingInterval, stateChanger).UseBackgroundPool(1));
        processes.Add(new RecurringJobScheduler(new global::Hangfire.Client.BackgroundJobFactory(filters), settings.SchedulePollingInterval, new DefaultTimeZoneResolver()).UseBackgroundPool(1));
        processes.Add(new Nodes.ServerIdCapture(identity).UseBackgroundPool(1));

        _server = new BackgroundProcessingServer(
            storage,
            processes,
            properties,
            new BackgroundProcessingServerOptions
            {
                CancellationCheckInterval = settings.CancellationCheckInterval,
                ShutdownTimeout = settings.ShutdownTimeout,
            });
        Plan = plan;
        LogQueues(logger, string.Join(", ", plan.Shared), plan.SharedWorkers, string.Join(", ", plan.Own.Select(d => $"{d.Queue} ({d.Workers})")));
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits for the running jobs to stop (up to <see cref="ServerOptions.ShutdownTimeout"/>) within
    /// the host's own shutdown, while the services they and Hangfire's logging use still run.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _server.SendStop();
        try
        {
            await _server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout passed first; disposing the server ends the wait.
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await _queueCheck.ConfigureAwait(false);
            _server.Dispose();
            _server = null;
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job server: the periodic check for queues newly named by functions failed; it runs again next interval.")]
    private static partial void LogQueueCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job server: {SharedWorkers} shared workers take the queues [{Shared}] in this order; queues with workers of their own: [{Own}].")]
    private static partial void LogQueues(ILogger logger, string shared, int sharedWorkers, string own);
}
