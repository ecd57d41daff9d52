using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AsyncFunctions.Benchmarks.Raw;

/// <summary>A BackgroundJobServer with the very options our WorkerHostedService uses.</summary>
public sealed class RawServerHostedService(JobStorage storage, RawFilterProvider filters, IServiceScopeFactory scopes, RawServerSettings settings)
    : IHostedService, IAsyncDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                WorkerCount = settings.WorkerCount,
                Queues = ["default"],
                SchedulePollingInterval = TimeSpan.FromSeconds(1),
                CancellationCheckInterval = TimeSpan.FromSeconds(5),
                ShutdownTimeout = TimeSpan.FromSeconds(15),
                FilterProvider = filters,
                Activator = new AspNetCoreJobActivator(scopes),
            },
            storage);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _server?.SendStop();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        return ValueTask.CompletedTask;
    }
}

/// <summary>The raw server's worker count.</summary>
public sealed record RawServerSettings(int WorkerCount);
