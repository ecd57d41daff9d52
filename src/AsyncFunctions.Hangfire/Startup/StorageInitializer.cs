using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Recording;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Prepares the results table before anything else starts: applies the schema scripts, then,
/// when the job storage does not survive a restart, ends the executions a previous run left
/// unfinished so none of them silently vanishes. Each ends through the
/// <see cref="StatusChangeRecorder"/>, so an execution with a callback URL reports its loss.
/// </summary>
public sealed partial class StorageInitializer(
    StorageProvider provider,
    IServiceProvider services,
    IExecutionStore store,
    StatusChangeRecorder recorder,
    TimeProvider time,
    ILogger<StorageInitializer> logger) : IHostedService
{
    private static readonly ExecutionStatus[] Unfinished = [ExecutionStatus.Enqueued, ExecutionStatus.Scheduled, ExecutionStatus.Processing, ExecutionStatus.Awaiting, ExecutionStatus.Waiting];

    private static readonly StatusChangeOrigin Origin = new(StatusChangeSource.StartupRecovery);

    private static readonly ExecutionError Lost = new(
        ExecutionErrorTypes.Platform,
        "The server stopped before this execution finished, and the embedded in-memory job queue does not survive a restart. Start it again if it is still needed.",
        ExecutionErrorCodes.Lost);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await provider.MigrateAsync(services, cancellationToken).ConfigureAwait(false);
        if (provider.JobsSurviveRestart)
        {
            return;
        }

        var at = time.GetUtcNow();
        var ended = 0;
        foreach (var status in Unfinished)
        {
            while (true)
            {
                // Each page leaves the filter as it ends, so the next read is the next page.
                var page = await store.ListAsync(new ExecutionQuery(Status: status, Limit: ExecutionQuery.MaxLimit), cancellationToken).ConfigureAwait(false);
                var applied = await Task.WhenAll(page.Items.Select(r =>
                    recorder.RecordAsync(new StatusChange(r.Id, r.Function, ExecutionStatus.Failed, at) { Error = Lost }, Origin with { CreatedAt = r.CreatedAt }, cancellationToken))).ConfigureAwait(false);
                var count = applied.Count(a => a);
                ended += count;
                if (count == 0 || page.NextCursor is null)
                {
                    break;
                }
            }
        }

        // Whatever the pages missed (a row that changed meanwhile) ends in one statement.
        ended += await store.FailUnfinishedAsync(Lost, at, cancellationToken).ConfigureAwait(false);
        if (ended > 0)
        {
            LogEnded(ended);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Warning, "{Count} executions were left unfinished by the previous run; they are now Failed with code execution.lost.")]
    private partial void LogEnded(int count);
}
