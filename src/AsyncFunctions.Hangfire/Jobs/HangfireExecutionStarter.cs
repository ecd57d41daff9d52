using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.States;
using AsyncFunctions.Hangfire.Webhooks;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Recording;
using AsyncFunctions.Storage;
using AsyncFunctions.Telemetry;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;
using AsyncFunctions.Webhooks;
using System.Runtime.ExceptionServices;
using System.Transactions;
using AsyncFunctions.FlowControl;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// Queues one Hangfire job per execution; the job id becomes the execution id. The job is created
/// in a <see cref="NewExecutionState"/> (or, for a delayed start, a <see cref="NewScheduledExecutionState"/>) that carries the row, with the function's retry policy as a
/// job parameter, on <see cref="JobCreationThreads"/> so no thread-pool thread waits for it.
/// A batch is created concurrently on those threads: on a database server each creation is a few
/// round trips and commits, which one after another cost a fan-out of 100 seconds.
/// </summary>
public sealed class HangfireExecutionStarter(IBackgroundJobClient jobs, StatusChangeRecorder recorder, JobCreationThreads threads, TimeProvider time, IOptions<WebhookOptions> webhooks, StorageProvider? storage = null) : IExecutionStarter
{
    // Where the job storage and the results table share one transaction (PostgreSQL), a failed
    // creation leaves nothing behind; elsewhere a written row must be marked lost.
    private readonly bool _oneTransaction = storage?.CreatesJobsInTransactionScope == true;

    private static readonly Job Template = Job.FromExpression<ExecutionJob>(j => j.RunAsync(null!, null!, CancellationToken.None));

    private static readonly Job CallbackTemplate = Job.FromExpression<ExecutionJob>(j => j.RunWithCallbackAsync(null!, null!, null!, CancellationToken.None));

    public async Task<ExecutionRecord> EnqueueAsync(FunctionDescriptor function, JsonObject input, StartRequest request, CancellationToken cancellationToken)
    {
        var ticket = await AdmissionTickets.CreateAsync(function, input, request.Caller, cancellationToken).ConfigureAwait(false);
        var creation = Prepare(function, input, request, ticket);
        string id;
        try
        {
            id = await threads.RunAsync(creation.Create, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (creation.State.WrittenId is not null && !_oneTransaction)
        {
            await MarkLostAsync(creation, ex).ConfigureAwait(false);
            throw;
        }

        return creation.Finish(id);
    }

    public async Task<IReadOnlyList<ExecutionRecord>> EnqueueManyAsync(IReadOnlyList<ValidatedStart> starts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(starts);
        cancellationToken.ThrowIfCancellationRequested();
        var tickets = new AdmissionTicket?[starts.Count];
        for (var i = 0; i < starts.Count; i++)
        {
            tickets[i] = await AdmissionTickets.CreateAsync(starts[i].Function, starts[i].Input, starts[i].Request.Caller, cancellationToken).ConfigureAwait(false);
        }

        var creations = starts.Select((s, i) => Prepare(s.Function, s.Input, s.Request, tickets[i], s.TraceParent)).ToArray();
        // Queued even from a thread that could create in place: that is what makes them concurrent.
        var tasks = creations.Select(c => threads.QueueAsync(c.Create)).ToArray();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception)
        {
            for (var i = 0; i < tasks.Length; i++)
            {
                if (tasks[i].Exception?.InnerException is { } failure && creations[i].State.WrittenId is not null && !_oneTransaction)
                {
                    await MarkLostAsync(creations[i], failure).ConfigureAwait(false);
                }
            }

            throw;
        }

        return creations.Select((c, i) => c.Finish(tasks[i].Result)).ToArray();
    }

    /// <summary>The row was written but Hangfire could not finish creating the job: it will never run.</summary>
    private Task MarkLostAsync(Creation creation, Exception ex) =>
        recorder.RecordAsync(
            new StatusChange(creation.State.WrittenId!, creation.Row.Function, ExecutionStatus.Failed, time.GetUtcNow())
            {
                Error = new ExecutionError(ExecutionErrorTypes.Platform, "The job could not be queued: " + ex.Message, ExecutionErrorCodes.Lost),
            },
            new StatusChangeOrigin(StatusChangeSource.JobCreationFailed) { HasCallback = creation.Row.CallbackUrl is not null, CreatedAt = creation.Row.CreatedAt },
            CancellationToken.None);

    private Creation Prepare(FunctionDescriptor function, JsonObject input, StartRequest request, AdmissionTicket? ticket, string? traceParent = null)
    {
        // The start's callback URL wins over the function's; a child started by a stack has only its function's.
        var callback = request.CallbackUrl ?? function.CallbackUrl;
        if (callback is not null && !webhooks.Value.HasSecret)
        {
            throw new CallbacksNotConfiguredException(function.Name);
        }

        var now = time.GetUtcNow();
        var delayed = request.RunAt is { } runAt && runAt > now;
        // The start's queue (allowed and checked by the execution service) wins over the function's.
        var queue = request.Queue ?? function.Flow.Queue;
        var row = new NewExecution("", function.Name, function.Version, delayed ? ExecutionStatus.Scheduled : ExecutionStatus.Enqueued, input, request.ParentId, now, request.CallDepth, RootId: request.RootId) { Caller = request.Caller, CallbackUrl = callback, Schedule = request.Schedule, ScheduledFor = request.ScheduledFor, Queue = queue };
        // A delayed start is created Scheduled: Hangfire's scheduler queues it when its time comes.
        INewExecutionState state = delayed
            ? new NewScheduledExecutionState(row, request.RunAt!.Value.UtcDateTime)
            : new NewExecutionState(row) { Queue = queue, Ticket = ticket };
        var job = callback is null
            ? new Job(Template.Type, Template.Method, function.Name, null, CancellationToken.None)
            : new Job(CallbackTemplate.Type, CallbackTemplate.Method, function.Name, callback, null, CancellationToken.None);
        // A function without retries needs no parameter: its absence means no retry, and costs no write.
        // Likewise the trace context, taken here on the caller's thread, only while something traces.
        traceParent ??= ExecutionTelemetry.CurrentTraceParent();
        // Every later enqueue (retry, resume, takeover, a delayed start's time) reads it back: see ExecutionQueue.
        var queueParameter = ExecutionQueue.Parameter(queue);
        // One dictionary per job, even an empty one: Hangfire's client filters write into it
        // (CaptureCulture sets the culture of every job), so a shared one was written by
        // concurrent creations at once and carried one job's parameters into the next.
        var parameters = new Dictionary<string, object>();
        if (request.DebounceKey is { } debounceKey)
        {
            parameters[Filters.DebounceClaimFilter.ParameterName] = debounceKey;
        }

        if (ticket is not null)
        {
            // Every later entry into admission (retry, resume, takeover, delayed start) reads it here.
            parameters[FlowControl.AdmissionFilter.TicketParameter] = ticket.ToJson();
        }

        if (queueParameter is not null)
        {
            parameters[ExecutionQueue.ParameterName] = queueParameter;
        }

        if (request.Schedule is { } schedule)
        {
            parameters[Schedules.ScheduleJobs.ScheduleParameter] = schedule;
        }

        if (function.Retry.MaxRetries > 0)
        {
            parameters[JobRetryPolicy.ParameterName] = JobRetryPolicy.From(function.Retry);
        }

        if (traceParent is not null)
        {
            parameters[ExecutionTelemetry.TraceParentParameter] = traceParent;
        }

        return new Creation(jobs, job, state, parameters, row, _oneTransaction);
    }

    private sealed class Creation(IBackgroundJobClient jobs, Job job, INewExecutionState state, IDictionary<string, object> parameters, NewExecution row, bool oneTransaction)
    {
        private const int CreationAttempts = 3;

        private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

        public INewExecutionState State => state;

        public NewExecution Row => row;

        public string Create()
        {
            if (jobs is not IBackgroundJobClientV2 withParameters)
            {
                throw new InvalidOperationException("AsyncFunctions needs Hangfire 1.8's IBackgroundJobClientV2 to create jobs with parameters.");
            }

            if (!oneTransaction)
            {
                return CreateJob(withParameters);
            }

            // Hangfire's transactions join this scope, and the state filter's insert opens its
            // connection on this thread inside it: one transaction, committed here or not at all.
            // A new scope, so a caller's own ambient transaction never takes the job in.
            using var scope = new TransactionScope(
                TransactionScopeOption.RequiresNew,
                new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = TransactionManager.DefaultTimeout });
            var id = CreateJob(withParameters);
            scope.Complete();
            return id;
        }

        /// <summary>
        /// Hangfire wraps whatever failed in "Background job creation failed. See inner exception";
        /// the cause itself (a database's answer, a lock time-out) is what the caller's record, its
        /// HTTP problem and the log must name, so it is thrown as it was.
        /// </summary>
        /// <remarks>
        /// A transient failure (a deadlock victim, a dropped connection, a lock time-out) that left
        /// no row behind is tried again, twice, after a short pause (not inside one-transaction
        /// starts, whose failed transaction is spent, nor where the row commits with Hangfire's
        /// transaction, whose failed commit may have landed): nothing of the failed try is
        /// visible (its job was never given a state, and Hangfire expires such a job by itself), so
        /// the retry cannot double a start, and a start from a running stack does not fail its
        /// parent over a hiccup of the database.
        /// </remarks>
        private string CreateJob(IBackgroundJobClientV2 client)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return client.Create(job, (IState)state, parameters);
                }
                catch (BackgroundJobClientException ex) when (ex.InnerException is { } cause)
                {
                    if (attempt < CreationAttempts && !oneTransaction && state.WrittenId is null && !state.WritesOnCommit && TransientDatabaseFailure.IsTransient(cause))
                    {
                        // A creation thread (or a worker's), never the thread pool's: see JobCreationThreads.
                        Thread.Sleep(RetryPause * attempt);
                        continue;
                    }

                    ExceptionDispatchInfo.Capture(cause).Throw();
                    throw;
                }
            }
        }

        public ExecutionRecord Finish(string id)
        {
            if (state.WrittenId != id)
            {
                throw new InvalidOperationException($"Job '{id}' was created but its execution row was not written: the AsyncFunctions state filter is not installed.");
            }

            return new ExecutionRecord
            {
                Id = id,
                Function = row.Function,
                FunctionVersion = row.FunctionVersion,
                Status = (state as NewExecutionState)?.CreatedAs ?? row.Status,
                Input = row.Input,
                ParentId = row.ParentId,
                RootId = row.RootId,
                CallDepth = row.CallDepth,
                Caller = row.Caller,
                Schedule = row.Schedule,
                ScheduledFor = row.ScheduledFor,
                Queue = row.Queue ?? AsyncFunctions.FlowControl.FunctionFlow.DefaultQueue,
                CreatedAt = row.CreatedAt,
            };
        }
    }
}
