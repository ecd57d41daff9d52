using AsyncFunctions.FlowControl;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.Filters;
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
/// One server per node, whatever its queues (<see cref="QueuePlan"/>): the shared workers are the
/// server's own; a queue with workers of its own gets them as extra processes of the same server,
/// one Hangfire <see cref="Worker"/> per thread taking only that queue. So every job of the node
/// runs under one server id, which node heartbeats, takeover and run ownership rely on, and the
/// server's cancellation watcher and shutdown cover every worker.
/// </para>
/// <para>
/// With no <c>Queues</c> setting the server starts once every hosted service has started (the
/// function folder is saved by then) and serves <c>default</c> and every queue the functions name.
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
    ILogger<WorkerHostedService> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private BackgroundJobServer? _server;

    /// <summary>The queues and workers of the running server; null before it starts or on an API-only node.</summary>
    public QueuePlan? Plan { get; private set; }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.WorkerCount > 0 && settings.Queues.Length > 0)
        {
            Start(QueuePlan.From(settings.Queues, settings.WorkerCount, []));
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

        var functions = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        var named = functions.Select(f => f.Flow.Queue).Where(QueueName.IsValid).Order(StringComparer.Ordinal);
        Start(QueuePlan.From([], settings.WorkerCount, [FunctionFlow.DefaultQueue, .. named]));
    }

    private void Start(QueuePlan plan)
    {
        var settings = options.Value;
        var activator = new AspNetCoreJobActivator(scopes);
        var performer = new BackgroundJobPerformer(filters, activator);
        var stateChanger = new BackgroundJobStateChanger(filters);
        // The server's own workers take the shared queues; with none, the first queue of its own.
        var (queues, workers, own) = plan.Shared.Count > 0
            ? (plan.Shared.ToArray(), plan.SharedWorkers, plan.Own)
            : ([plan.Own[0].Queue], plan.Own[0].Workers, plan.Own.Skip(1).ToArray());
        var processes = new List<IBackgroundProcess> { new Nodes.ServerIdCapture(identity) };
        foreach (var dedicated in own)
        {
            for (var i = 0; i < dedicated.Workers; i++)
            {
                processes.Add(new Worker([dedicated.Queue], performer, stateChanger));
            }
        }

        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = workers,
                Queues = queues,
                SchedulePollingInterval = settings.SchedulePollingInterval,
                CancellationCheckInterval = settings.CancellationCheckInterval,
                ShutdownTimeout = settings.ShutdownTimeout,
                FilterProvider = filters,
                Activator = activator,
            },
            storage,
            processes);
        Plan = plan;
        LogQueues(logger, string.Join(", ", plan.Shared.Select(q => q)), plan.SharedWorkers, string.Join(", ", plan.Own.Select(d => $"{d.Queue} ({d.Workers})")));
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

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job server: {SharedWorkers} shared workers take the queues [{Shared}] in this order; queues with workers of their own: [{Own}].")]
    private static partial void LogQueues(ILogger logger, string shared, int sharedWorkers, string own);
}
