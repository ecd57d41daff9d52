using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>Connects this host's logging to <see cref="HangfireLogRouter"/> while the host runs.</summary>
public sealed class HangfireLogRouting(ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        HangfireLogRouter.Instance.Attach(loggers);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        HangfireLogRouter.Instance.Detach(loggers);
        return Task.CompletedTask;
    }
}
