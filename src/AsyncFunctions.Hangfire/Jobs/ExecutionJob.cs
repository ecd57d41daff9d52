using System.Diagnostics;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Control;
using AsyncFunctions.Hangfire.Nodes;
using AsyncFunctions.Running;
using AsyncFunctions.Telemetry;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// The one Hangfire job type. Its only argument is the function name (shown as the job's
/// display name in the dashboard); the execution id is the job id and the input lives in the
/// results table. Each run is a span under the span that started the execution (its trace
/// context travels as a job parameter), and everything logged during it carries the execution
/// id and the function.
/// </summary>
public sealed partial class ExecutionJob(IExecutionService executions, RunningExecutions running, RunOwnership ownership, ILogger<ExecutionJob> logger)
{
    private static readonly Func<ILogger, string, string, IDisposable?> Scope =
        LoggerMessage.DefineScope<string, string>("Execution {ExecutionId} of {Function}");

    /// <summary>
    /// The job method. It is synchronous for Hangfire: Hangfire runs a task-returning job method on
    /// the thread pool and spins its worker thread while it waits, one pool hop and a spin per run;
    /// a synchronous one runs on the worker thread, which exists to wait. A run that completes
    /// without waiting (most do) costs no wait at all; one that awaits blocks its worker on the
    /// task's handle, as the filters do. The name stays: queued jobs name their method.
    /// </summary>
    /// <returns>
    /// The output, which Hangfire hands to the state filter on the Succeeded state; or the run's
    /// suspension, which <see cref="Filters.ExecutionSuspensionFilter"/> turns into a waiting state.
    /// </returns>
    [JobDisplayName("{0}")]
    public ExecutionOutput RunAsync(string function, PerformContext context, CancellationToken cancellationToken) =>
        Filters.Blocking.Wait(RunJobAsync(function, context, cancellationToken));

    private async Task<ExecutionOutput> RunJobAsync(string function, PerformContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.BackgroundJob.Id;
        using var scope = Scope(logger, id, function);
        using var activity = ExecutionTelemetry.Source.HasListeners()
            ? ExecutionTelemetry.StartRun(id, function, context.GetJobParameter<string>(ExecutionTelemetry.TraceParentParameter, allowStale: true))
            : null;
        QueuedRun run;
        var claim = ownership.Begin(id, context.ServerId);
        // The job's token fires when this server stops or Hangfire's check finds the job deleted;
        // the registered one also fires at once when the job is cancelled on this node.
        using var stop = running.Register(id, cancellationToken);
        try
        {
            run = await executions.RunQueuedAsync(id, stop.Token).ConfigureAwait(false);
        }
        catch (Exception) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Cancelled on this node: the job was deleted. As for Hangfire's own abort, the worker
            // then changes no state; a failure it recorded could land on a retry already running.
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw new JobAbortedException();
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is not OperationCanceledException)
        {
            // The token fires when this server stops or the job is deleted. Whatever the run threw
            // then (a driver or a function may report the cancellation as an error of its own) is
            // the cancellation: Hangfire leaves a stopped server's job to run again instead of
            // recording a failure that did not happen.
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            throw new OperationCanceledException($"Execution '{id}' was stopped before it finished: {ex.Message}", ex, stop.Token);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            ThrowIfTakenOver(claim);
            if (ExecutionErrors.From(ex).Type == ExecutionErrorTypes.Unhandled)
            {
                // The record keeps only the message; where it came from is for the operator.
                LogUnhandled(ex, id);
            }

            throw;
        }
        finally
        {
            running.Unregister(id, stop);
        }

        ThrowIfTakenOver(claim);

        activity?.SetTag("asyncfunctions.suspended", run.IsSuspended);
        return new ExecutionOutput(run.Output, run.Suspension);
    }

    /// <summary>
    /// A run whose job another node requeued while this node was silent ends as an aborted run
    /// does: Hangfire's worker then changes no state, and no outcome of it is recorded.
    /// </summary>
    private void ThrowIfTakenOver(RunClaim claim)
    {
        if (ownership.WasTakenOver(claim))
        {
            LogTakenOver(claim.JobId);
            throw new JobAbortedException();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Execution {Id} failed with an exception that is not a function error.")]
    private partial void LogUnhandled(Exception exception, string id);

    [LoggerMessage(LogLevel.Warning, "Execution {Id} ended on this node after another node took it over (this node was silent past the node timeout); its outcome here is dropped.")]
    private partial void LogTakenOver(string id);

    /// <summary>
    /// The same run for an execution with a callback URL (shown among the job's arguments): the
    /// method itself tells the state filter to queue the webhook when the execution finishes.
    /// </summary>
    [JobDisplayName("{0}")]
    public ExecutionOutput RunWithCallbackAsync(string function, string callbackUrl, PerformContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        return RunAsync(function, context, cancellationToken);
    }
}
