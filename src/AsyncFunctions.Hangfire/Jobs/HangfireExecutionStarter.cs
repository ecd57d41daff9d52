using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Hangfire.Webhooks;
using AsyncFunctions.Telemetry;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;
using AsyncFunctions.Webhooks;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// Queues one Hangfire job per execution; the job id becomes the execution id. The job is created
/// in a <see cref="NewExecutionState"/> (or, for a delayed start, a <see cref="NewScheduledExecutionState"/>) that carries the row, with the function's retry policy as a
/// job parameter, on <see cref="JobCreationThreads"/> so no thread-pool thread waits for it.
/// </summary>
public sealed class HangfireExecutionStarter(IBackgroundJobClient jobs, IExecutionStore store, JobCreationThreads threads, TimeProvider time, IOptions<WebhookOptions> webhooks) : IExecutionStarter
{
    private static readonly Dictionary<string, object> NoParameters = [];

    private static readonly Job Template = Job.FromExpression<ExecutionJob>(j => j.RunAsync(null!, null!, CancellationToken.None));

    private static readonly Job CallbackTemplate = Job.FromExpression<ExecutionJob>(j => j.RunWithCallbackAsync(null!, null!, null!, CancellationToken.None));

    public async Task<ExecutionRecord> EnqueueAsync(FunctionDescriptor function, JsonObject input, StartRequest request, CancellationToken cancellationToken)
    {
        // The start's callback URL wins over the function's; a child started by a stack has only its function's.
        var callback = request.CallbackUrl ?? function.CallbackUrl;
        if (callback is not null && !webhooks.Value.HasSecret)
        {
            throw new CallbacksNotConfiguredException(function.Name);
        }

        var now = time.GetUtcNow();
        var delayed = request.RunAt is { } runAt && runAt > now;
        var row = new NewExecution("", function.Name, function.Version, delayed ? ExecutionStatus.Scheduled : ExecutionStatus.Enqueued, input, request.ParentId, now, request.CallDepth, RootId: request.RootId) { Caller = request.Caller, CallbackUrl = callback };
        // A delayed start is created Scheduled: Hangfire's scheduler queues it when its time comes.
        INewExecutionState state = delayed
            ? new NewScheduledExecutionState(row, request.RunAt!.Value.UtcDateTime)
            : new NewExecutionState(row);
        var job = callback is null
            ? new Job(Template.Type, Template.Method, function.Name, null, CancellationToken.None)
            : new Job(CallbackTemplate.Type, CallbackTemplate.Method, function.Name, callback, null, CancellationToken.None);
        // A function without retries needs no parameter: its absence means no retry, and costs no write.
        // Likewise the trace context, taken here on the caller's thread, only while something traces.
        var traceParent = ExecutionTelemetry.CurrentTraceParent();
        var parameters = function.Retry.MaxRetries > 0 || traceParent is not null ? new Dictionary<string, object>() : NoParameters;
        if (function.Retry.MaxRetries > 0)
        {
            parameters[JobRetryPolicy.ParameterName] = JobRetryPolicy.From(function.Retry);
        }

        if (traceParent is not null)
        {
            parameters[ExecutionTelemetry.TraceParentParameter] = traceParent;
        }

        string id;
        try
        {
            id = await threads.RunAsync(() => Create(job, state, parameters), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (state.WrittenId is { } written)
        {
            // The row was written but Hangfire could not finish creating the job: it will never run.
            await store.ApplyAsync(
                new StatusChange(written, function.Name, ExecutionStatus.Failed, time.GetUtcNow())
                {
                    Error = new ExecutionError(ex.GetType().Name, "The job could not be queued: " + ex.Message, ExecutionErrorCodes.Lost),
                },
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (state.WrittenId != id)
        {
            throw new InvalidOperationException($"Job '{id}' was created but its execution row was not written: the AsyncFunctions state filter is not installed.");
        }

        return new ExecutionRecord
        {
            Id = id,
            Function = row.Function,
            FunctionVersion = row.FunctionVersion,
            Status = row.Status,
            Input = row.Input,
            ParentId = row.ParentId,
            RootId = row.RootId,
            CallDepth = row.CallDepth,
            Caller = row.Caller,
            CreatedAt = row.CreatedAt,
        };
    }

    private string Create(Job job, INewExecutionState state, IDictionary<string, object> parameters) =>
        jobs is IBackgroundJobClientV2 withParameters
            ? withParameters.Create(job, (IState)state, parameters)
            : throw new InvalidOperationException("AsyncFunctions needs Hangfire 1.8's IBackgroundJobClientV2 to create jobs with parameters.");
}
