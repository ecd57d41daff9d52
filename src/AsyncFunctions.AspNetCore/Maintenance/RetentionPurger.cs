using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.Maintenance;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Maintenance;

/// <summary>
/// Deletes finished executions older than <see cref="RetentionOptions.Executions"/> (with their
/// logs and waits) in batches, and idempotency keys older than
/// <see cref="ApiOptions.IdempotencyRetention"/>, every <see cref="RetentionOptions.PurgeInterval"/>
/// on each node. A hosted service rather than a Hangfire recurring job: every Hangfire job here is
/// an execution with a record of its own, and the purge must run on the embedded default, whose
/// in-memory job storage starts empty. Nodes purging at once only delete the same rows twice.
/// It lives in the web layer because it also keeps the API's idempotency keys (<see cref="ApiOptions"/>).
/// </summary>
public sealed partial class RetentionPurger(
    IExecutionStore store,
    IOptions<RetentionOptions> retention,
    IOptions<ApiOptions> api,
    TimeProvider time,
    ILogger<RetentionPurger> logger) : BackgroundService
{
    /// <summary>Runs one purge now; returns how many execution records it deleted.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await store.PurgeIdempotencyKeysAsync(now - api.Value.IdempotencyRetention, cancellationToken).ConfigureAwait(false);
        var settings = retention.Value;
        if (settings.Executions == TimeSpan.Zero)
        {
            return 0;
        }

        var total = 0;
        int deleted;
        do
        {
            deleted = await store.PurgeFinishedAsync(now - settings.Executions, settings.BatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
        }
        while (deleted >= settings.BatchSize && !cancellationToken.IsCancellationRequested);

        if (total > 0)
        {
            LogPurged(total, settings.Executions);
        }

        return total;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(retention.Value.PurgeInterval, time, runAtStart: true, PurgeOnceAsync, LogFailed, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Count} finished executions older than {Retention}.")]
    private partial void LogPurged(int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: the purge failed; it runs again at the next interval.")]
    private partial void LogFailed(Exception exception);
}
