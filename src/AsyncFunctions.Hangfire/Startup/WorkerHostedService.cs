using AsyncFunctions.Hangfire.Filters;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Runs this node's Hangfire server, unless <see cref="ServerOptions.WorkerCount"/> is 0. The
/// activator and filters are this host's own, never Hangfire's static defaults. Taking
/// <see cref="IGlobalConfiguration"/> makes sure Hangfire's configuration ran before the server starts.
/// </summary>
public sealed class WorkerHostedService(
#pragma warning disable CS9113 // Resolved for its side effect: it applies Hangfire's configuration.
    IGlobalConfiguration configuration,
#pragma warning restore CS9113
    JobStorage storage,
    ExecutionFilterProvider filters,
    IServiceScopeFactory scopes,
    IOptions<ServerOptions> options,
    Nodes.NodeIdentity identity) : IHostedService, IAsyncDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.WorkerCount == 0)
        {
            return Task.CompletedTask;
        }

        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = settings.WorkerCount,
                Queues = settings.Queues,
                SchedulePollingInterval = settings.SchedulePollingInterval,
                CancellationCheckInterval = settings.CancellationCheckInterval,
                ShutdownTimeout = settings.ShutdownTimeout,
                FilterProvider = filters,
                Activator = new AspNetCoreJobActivator(scopes),
            },
            storage,
            [new Nodes.ServerIdCapture(identity)]);
        return Task.CompletedTask;
    }

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

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        return ValueTask.CompletedTask;
    }
}
