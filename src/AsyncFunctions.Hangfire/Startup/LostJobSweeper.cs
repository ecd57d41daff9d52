using AsyncFunctions.Executions;
using AsyncFunctions.Storage;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Nothing stays unfinished forever: every <see cref="LostJobSweepOptions.Interval"/>, ends as
/// Failed with <c>execution.lost</c> each unfinished async execution (Enqueued, Scheduled,
/// Processing, Awaiting) older than <see cref="LostJobSweepOptions.MinAge"/> whose Hangfire job
/// the job storage no longer has: Redis with AOF <c>everysec</c> loses up to a second of writes at
/// a crash, so a job created just before may be gone while its row, in SQL, remains. The rule is
/// to end it rather than run it again: the job may have run in part before the loss, and a run
/// the caller did not ask for twice is worse than an error the caller can act on (a retry
/// starts it again from the same input). Every node sweeps; ending is idempotent.
/// One more trace of lost writes is repaired rather than ended: a row that says Enqueued while
/// its job is still Suspended was resumed in SQL but Redis lost the job's resume, so the job
/// is resumed again (a state change that expects Suspended, so it cannot resume twice).
/// </summary>
public sealed partial class LostJobSweeper(
    UnfinishedJobRows rows,
    IExecutionStore store,
    JobStorage jobs,
    AsyncFunctions.Hangfire.Resuming.SuspensionResumer resumer,
    IOptions<LostJobSweepOptions> options,
    TimeProvider time,
    ILogger<LostJobSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round (a database or Redis away) is logged and tried again next round.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRoundFailed(ex);
            }
        }
    }

    /// <summary>One pass over every candidate; returns how many executions it ended.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var before = time.GetUtcNow() - settings.MinAge;
        var ended = 0;
        string? after = null;
        while (true)
        {
            var page = await rows.ListAsync(before, after, settings.BatchSize, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return ended;
            }

            var (gone, unresumed) = Inspect(page);
            foreach (var execution in unresumed)
            {
                if (await resumer.TryResumeAsync(execution.Id, "Resumed again: its resume was recorded but the job storage lost it", cancellationToken).ConfigureAwait(false))
                {
                    LogResumedAgain(execution.Id, execution.Function);
                }
            }

            foreach (var execution in gone)
            {
                var error = new ExecutionError(
                    "JobLost",
                    "The job storage no longer has this execution's job (for example Redis lost its last writes in a crash), so it would never finish. Retry it if it is still needed.",
                    ExecutionErrorCodes.Lost);
                var change = new StatusChange(execution.Id, execution.Function, ExecutionStatus.Failed, time.GetUtcNow()) { Error = error };
                if (await store.ApplyAsync(change, cancellationToken).ConfigureAwait(false))
                {
                    ended++;
                    LogLost(execution.Id, execution.Function);
                }
            }

            after = page[^1].Id;
        }
    }

    private (List<UnfinishedJobRow> Gone, List<UnfinishedJobRow> Unresumed) Inspect(IReadOnlyList<UnfinishedJobRow> page)
    {
        var gone = new List<UnfinishedJobRow>();
        var unresumed = new List<UnfinishedJobRow>();
        using var connection = jobs.GetConnection();
        foreach (var execution in page)
        {
            if (connection.GetJobData(execution.Id) is not { } job)
            {
                gone.Add(execution);
            }
            else if (execution.Status == ExecutionStatus.Enqueued && job.State == States.SuspendedState.StateName)
            {
                unresumed.Add(execution);
            }
        }

        return (gone, unresumed);
    }

    [LoggerMessage(LogLevel.Warning, "Execution {Id} of {Function} was resumed but its job was still suspended; it is resumed again.")]
    private partial void LogResumedAgain(string id, string function);

    [LoggerMessage(LogLevel.Warning, "Execution {Id} of {Function} has no job in the job storage any more; it is now Failed with code execution.lost.")]
    private partial void LogLost(string id, string function);

    [LoggerMessage(LogLevel.Warning, "Sweeping for executions whose job is gone failed; trying again next round.")]
    private partial void LogRoundFailed(Exception exception);
}
