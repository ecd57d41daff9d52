using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Prepares the results table before anything else starts: applies the schema scripts, then,
/// when the job storage does not survive a restart, ends the executions a previous run left
/// unfinished so none of them silently vanishes.
/// </summary>
public sealed partial class StorageInitializer(
    StorageProvider provider,
    IServiceProvider services,
    IExecutionStore store,
    TimeProvider time,
    ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await provider.MigrateAsync(services, cancellationToken).ConfigureAwait(false);
        if (provider.JobsSurviveRestart)
        {
            return;
        }

        var ended = await store.FailUnfinishedAsync(
            new ExecutionError(
                ExecutionErrorTypes.Platform,
                "The server stopped before this execution finished, and the embedded in-memory job queue does not survive a restart. Start it again if it is still needed.",
                ExecutionErrorCodes.Lost),
            time.GetUtcNow(),
            cancellationToken).ConfigureAwait(false);
        if (ended > 0)
        {
            LogEnded(ended);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "{Count} executions were left unfinished by the previous run; they are now Failed with code execution.lost.")]
    private partial void LogEnded(int count);
}
