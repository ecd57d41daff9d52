using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using System.Diagnostics;
using AsyncFunctions.Inputs;
using AsyncFunctions.Recording;
using AsyncFunctions.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Running;

/// <summary>Validates, queues, runs and awaits executions; the job framework plugs in through <see cref="IExecutionStarter"/>.</summary>
public sealed class ExecutionService(
    IFunctionCatalog catalog,
    IExecutionStore store,
    StatusChangeRecorder recorder,
    IExecutionStarter starter,
    IExecutionAwaiter awaiter,
    IServiceScopeFactory scopes,
    IOptions<ExecutionOptions> options,
    SyncRunLeases leases,
    TimeProvider time,
    IWorkerCapacity? workerCapacity = null,
    FlowControl.IDebounceStore? debounces = null,
    FlowControl.IFlowAdmissionStore? admission = null,
    FlowControl.IFlowWakeUps? wakeUps = null,
    StartedExecutions? started = null) : IExecutionService
{
    private int _awaitingJobs;

    public async Task<ExecutionRecord> StartAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        // The span whose context the new execution's runs continue, on whichever node they run.
        using var activity = ExecutionTelemetry.Source.StartActivity("start " + request.Function, ActivityKind.Producer);
        CheckQueueOverride(request);
        var (function, input) = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        var maxTree = options.Value.MaxTreeExecutions;
        if (request.RootId is { } root && !await store.TryCountTreeStartAsync(root, maxTree, cancellationToken).ConfigureAwait(false))
        {
            throw new FunctionException(
                ExecutionErrorCodes.TreeExecutionsLimit,
                $"The tree of calls begun by execution '{root}' already started {maxTree} async executions (AsyncFunctions:Execution:MaxTreeExecutions).");
        }

        var record = function.Flow.Debounce is { } debounce
            ? await StartDebouncedAsync(function, input, request, debounce, cancellationToken).ConfigureAwait(false)
            : await starter.EnqueueAsync(function, input, request, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("asyncfunctions.execution.id", record.Id);
        if (record.Debounced == true)
        {
            return record;
        }

        ExecutionTelemetry.Started.Add(1, ExecutionTelemetry.Function(function.Name));
        return record;
    }

    public async Task<IReadOnlyList<ExecutionRecord>> StartManyAsync(IReadOnlyList<StartRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        var root = requests[0].RootId;
        if (requests.Any(r => !string.Equals(r.RootId, root, StringComparison.Ordinal)))
        {
            throw new ArgumentException("The requests of one batch must belong to one tree of calls (the same RootId).", nameof(requests));
        }

        using var activity = ExecutionTelemetry.Source.StartActivity("start many", ActivityKind.Producer);
        var starts = new ValidatedStart[requests.Count];
        // One span per start, as one by one, so each child's runs sit under the span that started it.
        var spans = activity is null ? null : new Activity?[requests.Count];
        try
        {
            for (var i = 0; i < requests.Count; i++)
            {
                CheckQueueOverride(requests[i]);
                var (function, input) = await PrepareAsync(requests[i], cancellationToken).ConfigureAwait(false);
                var span = spans is null ? null : ExecutionTelemetry.Source.StartActivity("start " + function.Name, ActivityKind.Producer, activity!.Context);
                if (spans is not null)
                {
                    spans[i] = span;
                    Activity.Current = activity;
                }

                starts[i] = new ValidatedStart(function, input, requests[i]) { TraceParent = span?.Id };
            }

            var started = await StartValidatedAsync(starts, cancellationToken).ConfigureAwait(false);
            for (var i = 0; spans is not null && i < started.Count; i++)
            {
                spans[i]?.SetTag("asyncfunctions.execution.id", started[i].Id);
            }

            return started;
        }
        finally
        {
            foreach (var span in spans ?? [])
            {
                span?.Dispose();
            }

            Activity.Current = activity;
        }
    }

    private async Task<IReadOnlyList<ExecutionRecord>> StartValidatedAsync(ValidatedStart[] starts, CancellationToken cancellationToken)
    {
        var root = starts[0].Request.RootId;
        var maxTree = options.Value.MaxTreeExecutions;
        if (root is not null && !await store.TryCountTreeStartsAsync(root, starts.Length, maxTree, cancellationToken).ConfigureAwait(false))
        {
            throw new FunctionException(
                ExecutionErrorCodes.TreeExecutionsLimit,
                $"Starting {starts.Length} more executions would take the tree of calls begun by execution '{root}' past {maxTree} async executions (AsyncFunctions:Execution:MaxTreeExecutions); none was started.");
        }

        // A debounced start may fold into a pending execution instead of making one: one by one.
        var records = starts.Any(s => s.Function.Flow.Debounce is not null)
            ? await StartOneByOneAsync(starts, cancellationToken).ConfigureAwait(false)
            : await starter.EnqueueManyAsync(starts, cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            ExecutionTelemetry.Started.Add(1, ExecutionTelemetry.Function(record.Function));
        }

        return records;
    }

    private async Task<IReadOnlyList<ExecutionRecord>> StartOneByOneAsync(ValidatedStart[] starts, CancellationToken cancellationToken)
    {
        var records = new ExecutionRecord[starts.Length];
        for (var i = 0; i < starts.Length; i++)
        {
            var start = starts[i];
            records[i] = start.Function.Flow.Debounce is { } debounce
                ? await StartDebouncedAsync(start.Function, start.Input, start.Request, debounce, cancellationToken).ConfigureAwait(false)
                : await starter.EnqueueAsync(start.Function, start.Input, start.Request, cancellationToken).ConfigureAwait(false);
        }

        return records;
    }

    /// <summary>How long a debounce reservation may wait for its execution before another start takes it over.</summary>
    private static readonly TimeSpan DebounceReservationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A start of a debounced function: folds into the pending execution of its key (which then
    /// runs <see cref="FlowControl.DebounceRule.PeriodSeconds"/> after this start, with this input)
    /// or, when none is pending, creates it as a delayed start. The store decides atomically, in the
    /// results database, so starts on every node fold into the same execution.
    /// </summary>
    private async Task<ExecutionRecord> StartDebouncedAsync(FunctionDescriptor function, JsonObject input, StartRequest request, FlowControl.DebounceRule rule, CancellationToken cancellationToken)
    {
        if (debounces is null)
        {
            throw new InvalidOperationException($"Function '{function.Name}' is debounced, but no debounce store is registered (IDebounceStore).");
        }

        if (request.RunAt is not null)
        {
            throw new FlowControl.StartRefusedException("runAt", $"function '{function.Name}' is debounced: its debounce period ({rule.PeriodSeconds} s after the last start) decides when it runs, so its start cannot be delayed");
        }

        var key = await FlowControl.DebounceKeys.EvaluateAsync(function.Name, rule, input, request.Caller, cancellationToken).ConfigureAwait(false);
        var period = TimeSpan.FromSeconds(rule.PeriodSeconds);
        var giveUpAt = time.GetUtcNow() + DebounceReservationTimeout + DebounceReservationTimeout;
        while (true)
        {
            var now = time.GetUtcNow();
            if (await debounces.TryFoldAsync(function.Name, key, input, now + period, cancellationToken).ConfigureAwait(false) is { } pending)
            {
                var folded = await store.GetAsync(pending, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Execution '{pending}' vanished from the results table.");
                ExecutionTelemetry.Debounced.Add(1, ExecutionTelemetry.Function(function.Name));
                return folded with { Debounced = true };
            }

            if (await debounces.TryReserveAsync(function.Name, key, now + period, now, now - DebounceReservationTimeout, cancellationToken).ConfigureAwait(false))
            {
                ExecutionRecord created;
                try
                {
                    created = await starter.EnqueueAsync(function, input, request with { RunAt = now + period, DebounceKey = key }, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await debounces.ReleaseAsync(function.Name, key, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }

                await debounces.AttachAsync(function.Name, key, created.Id, CancellationToken.None).ConfigureAwait(false);
                return created with { Debounced = false };
            }

            // Another start reserved the key and is creating the execution: fold into it once it is there.
            if (now > giveUpAt)
            {
                throw new TimeoutException($"The pending execution of debounced function '{function.Name}' (key '{key}') was not created in time by the start that reserved it.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ExecutionRecord> RunSyncAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        var (function, input) = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        if (function.Flow.Debounce is not null)
        {
            throw new FlowControl.StartRefusedException("mode", $"function '{function.Name}' is debounced: starts fold into one pending execution that runs later, so it runs async only");
        }

        var id = Guid.NewGuid().ToString();
        await AdmitSyncRunAsync(id, function, input, request, cancellationToken).ConfigureAwait(false);
        var startedAt = time.GetUtcNow();
        using var activity = ExecutionTelemetry.StartRun(id, function.Name, traceParent: null, ActivityKind.Internal);
        ExecutionTelemetry.Started.Add(1, ExecutionTelemetry.Function(function.Name));
        leases.Add(id);
        // A sync start over HTTP has no callback URL of its own; its function's applies as to a job.
        var callback = request.CallbackUrl ?? function.CallbackUrl;
        var origin = new StatusChangeOrigin(StatusChangeSource.SyncRun) { HasCallback = callback is not null, CreatedAt = startedAt };
        try
        {
            try
            {
                await recorder.CreateAsync(
                    new NewExecution(id, function.Name, function.Version, ExecutionStatus.Enqueued, input, request.ParentId, startedAt, request.CallDepth, startedAt + options.Value.SyncRunLease, request.RootId) { Caller = request.Caller, CallbackUrl = callback },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (function.Flow.IsLimited)
            {
                await GiveBackSyncRunSlotsAsync(id, function).ConfigureAwait(false);
                throw;
            }

            await recorder.RecordAsync(new StatusChange(id, function.Name, ExecutionStatus.Processing, startedAt), origin, cancellationToken).ConfigureAwait(false);
            return await RunLeasedAsync(id, function, input, request, origin, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            leases.Remove(id);
        }
    }

    /// <summary>
    /// A sync run of a limited function takes its slots and counts its start as an async start
    /// would, but only if it can run now: it never waits (it holds its caller) and never overtakes
    /// the line, so over a limit it is refused with <see cref="FlowControl.FlowLimitFullException"/>.
    /// Its slots are given back by <see cref="FlowControl.FlowSlotRelease"/> when its final status
    /// is recorded, as a job's are.
    /// </summary>
    private async Task AdmitSyncRunAsync(string id, FunctionDescriptor function, JsonObject input, StartRequest request, CancellationToken cancellationToken)
    {
        if (!function.Flow.IsLimited)
        {
            return;
        }

        if (admission is null)
        {
            throw new InvalidOperationException($"Function '{function.Name}' declares limits, but no admission store is registered (IFlowAdmissionStore).");
        }

        var ticket = await FlowControl.AdmissionTickets.CreateAsync(function, input, request.Caller, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var outcome = await admission.AdmitNowAsync(id, ticket!, now, cancellationToken).ConfigureAwait(false);
        if (outcome.Verdict == FlowControl.AdmissionVerdict.Admitted)
        {
            return;
        }

        var retryAfter = outcome.NotBefore is { } at ? at - now : TimeSpan.FromSeconds(1);
        throw new FlowControl.FlowLimitFullException(function.Name, outcome.WaitingFor ?? "limit", retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
    }

    /// <summary>
    /// A sync run whose row could not be written never runs, and no status change will ever free
    /// the slots it was admitted with: they are given back here, at once, and handed to waiters as
    /// a release would. (Should the row have landed after all, its lease runs out and it ends as
    /// <c>execution.lost</c>, whose release finds nothing held.) A release that fails too (the
    /// database away) leaves the slots to the repair sweep, after <c>OrphanAge</c>; the caller gets
    /// the row write's own error either way.
    /// </summary>
    private async Task GiveBackSyncRunSlotsAsync(string id, FunctionDescriptor function)
    {
        if (admission is null || wakeUps is null)
        {
            return;
        }

        try
        {
            await FlowControl.FlowSlotRelease.ReleaseAsync(admission, wakeUps, time, function.Name, id, suspending: false, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The row write's failure is what the caller must see; the sweep repairs a failed release.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Runs a sync execution whose row holds this node's lease. Its end goes through the
    /// <see cref="StatusChangeRecorder"/> as a job's does: waiters, event streams, webhooks and
    /// metrics see a sync run finish the same way.
    /// </summary>
    private async Task<ExecutionRecord> RunLeasedAsync(string id, FunctionDescriptor function, JsonObject input, StartRequest request, StatusChangeOrigin origin, CancellationToken cancellationToken)
    {
        var info = new ExecutionInfo(id, function.Name, function.Version, request.ParentId, request.CallDepth, Attempt: 1, IsAsync: false, request.RootId) { Caller = request.Caller };
        StatusChange finished;
        try
        {
            var output = await InvokeAsync(function, info, input, cancellationToken).ConfigureAwait(false);
            finished = new StatusChange(id, function.Name, ExecutionStatus.Succeeded, time.GetUtcNow()) { Output = output };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var error = new ExecutionError(ExecutionErrorTypes.Platform, "The caller went away before the execution finished.", ExecutionErrorCodes.Cancelled);
            await recorder.RecordAsync(new StatusChange(id, function.Name, ExecutionStatus.Cancelled, time.GetUtcNow()) { Error = error }, origin, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
#pragma warning disable CA1031 // Every failure of the function becomes the execution's recorded error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The record names no .NET type; the run's span keeps the exception for whoever debugs the function.
            Activity.Current?.AddException(ex);
            finished = new StatusChange(id, function.Name, ExecutionStatus.Failed, time.GetUtcNow()) { Error = ExecutionErrors.From(ex) };
        }

        await recorder.RecordAsync(finished, origin, CancellationToken.None).ConfigureAwait(false);
        return await store.GetAsync(id, CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Execution '{id}' vanished from the results table.");
    }

    public async Task<JsonNode?> RunAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        var record = await RunSyncAsync(request, cancellationToken).ConfigureAwait(false);
        return record.Status == ExecutionStatus.Succeeded
            ? record.Output
            : throw new ExecutionFailedException(record.Error ?? new ExecutionError(ExecutionErrorTypes.Platform, "The execution failed.", ExecutionErrorCodes.FunctionError));
    }

    public Task<AwaitOutcome> AwaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        awaiter.AwaitAsync(ids, timeout, cancellationToken);

    public async Task<AwaitOutcome> AwaitFromExecutionAsync(ExecutionInfo caller, IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // A tree started by an invoker's key awaits only its own key's executions, as over HTTP.
        await ExecutionVisibility.ThrowUnlessAllSeenAsync(store, caller.Caller, ids, cancellationToken).ConfigureAwait(false);

        // Only a wait that holds a worker can starve the node: a sync run holds no worker, and a
        // look with no timeout (what a suspending stack does before it suspends) waits for nothing.
        if (!caller.IsAsync || timeout <= TimeSpan.Zero)
        {
            return await awaiter.AwaitAsync(ids, timeout, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _awaitingJobs);
        try
        {
            var outcome = await awaiter.AwaitAsync(ids, timeout, cancellationToken).ConfigureAwait(false);
            var workers = workerCapacity?.Workers ?? 0;
            var neverStarted = outcome.Pending.Where(r => r.Status == ExecutionStatus.Enqueued).Select(r => r.Id).ToArray();
            if (!outcome.Completed && workers > 0 && Volatile.Read(ref _awaitingJobs) >= workers && neverStarted.Length > 0)
            {
                throw new FunctionException(
                    ExecutionErrorCodes.AwaitWorkersExhausted,
                    $"Await timed out: executions {string.Join(", ", neverStarted)} never started because all {workers} workers of this node " +
                    "are busy awaiting. Raise AsyncFunctions:Server:WorkerCount or await from outside a job.");
            }

            return outcome;
        }
        finally
        {
            Interlocked.Decrement(ref _awaitingJobs);
        }
    }

    public async Task<QueuedRun> RunQueuedAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var run = started is not null && started.TryTake(executionId, out var row, out var startedAt)
            ? new RunRow(row.Id, row.Function, row.FunctionVersion, row.Input, row.ParentId, row.CallDepth, row.RootId, row.Caller, Attempts: 1, Resumes: 0, HasCheckpoint: false, row.CreatedAt, startedAt)
            : RunRow.From(await store.GetAsync(executionId, cancellationToken).ConfigureAwait(false));
        if (run?.Input is not JsonObject input)
        {
            throw new ExecutionFailedException(new ExecutionError(
                ExecutionErrorTypes.Platform,
                $"Execution '{executionId}' has no recorded input; it was not created through AsyncFunctions.",
                ExecutionErrorCodes.InputMissing));
        }

        var function = await catalog.FindAsync(run.Function, run.FunctionVersion, cancellationToken).ConfigureAwait(false)
            ?? throw new ExecutionFailedException(new ExecutionError(
                ExecutionErrorTypes.Platform,
                $"Function '{run.Function}' (version {run.FunctionVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}) is no longer registered.",
                ExecutionErrorCodes.UnknownFunction));

        var info = new ExecutionInfo(run.Id, run.Function, run.FunctionVersion, run.ParentId, run.CallDepth, Math.Max(1, run.Attempts), IsAsync: true, run.RootId) { Caller = run.Caller };
        if (run is { Attempts: <= 1, Resumes: 0, StartedAt: { } began })
        {
            ExecutionTelemetry.QueueWait.Record(Math.Max(0, (began - run.CreatedAt).TotalMilliseconds), ExecutionTelemetry.Function(run.Function));
        }

        try
        {
            if (function.Body is not IResumableFunctionBody resumable)
            {
                return new QueuedRun(await InvokeAsync(function, info, input, cancellationToken).ConfigureAwait(false));
            }

            var checkpoint = run.HasCheckpoint ? await store.LoadCheckpointAsync(run.Id, cancellationToken).ConfigureAwait(false) : null;
            var stretch = await InvokeAsync(function, info, input, options.Value.SuspendWaits, (resumable, checkpoint), static (context, state, token) => state.resumable.RunAsync(context, state.checkpoint, token), cancellationToken).ConfigureAwait(false);
            if (stretch.Suspension is { } suspension)
            {
                await store.SuspendAsync(run.Id, suspension, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }

            return stretch;
        }
        catch (Exception ex) when (ex is not ExecutionFailedException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw new ExecutionFailedException(ExecutionErrors.From(ex), ex);
        }
    }

    /// <summary>A start may name its own queue only where the operator allows it, and only a valid one.</summary>
    private void CheckQueueOverride(StartRequest request)
    {
        if (request.Queue is not { } queue)
        {
            return;
        }

        if (!options.Value.AllowQueueOverride)
        {
            throw new FlowControl.StartRefusedException(FlowControl.StartRefusedException.QueueField, "a start may not choose its queue on this server (AsyncFunctions:Execution:AllowQueueOverride is off); leave it out and the function's queue carries the execution");
        }

        if (FlowControl.QueueName.Problem(queue) is { } problem)
        {
            throw new FlowControl.StartRefusedException(FlowControl.StartRefusedException.QueueField, problem);
        }
    }

    private async Task<(FunctionDescriptor Function, JsonObject Input)> PrepareAsync(StartRequest request, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxCallDepth;
        if (request.CallDepth > max)
        {
            throw new CallDepthExceededException(request.CallDepth, max);
        }

        var function = (request.FunctionVersion is { } version
                ? await catalog.FindAsync(request.Function, version, cancellationToken).ConfigureAwait(false)
                : await catalog.FindAsync(request.Function, cancellationToken).ConfigureAwait(false))
            ?? throw new UnknownFunctionException(request.Function);
        return (function, InputValidator.ValidateOrThrow(request.Input, function.Inputs));
    }

    private async Task<JsonNode?> InvokeAsync(FunctionDescriptor function, ExecutionInfo info, JsonObject input, CancellationToken cancellationToken)
    {
        var run = await InvokeAsync(function, info, input, canSuspend: false, function.Body, static async (context, body, token) => new QueuedRun(await body.InvokeAsync(context, token).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        return run.Output;
    }

    /// <summary>
    /// Runs one stretch of a function in its own DI scope under its timeout, which bounds the time it
    /// holds a worker. The body is a static delegate with its state passed along: no closure per run.
    /// </summary>
    private async Task<QueuedRun> InvokeAsync<TState>(FunctionDescriptor function, ExecutionInfo info, JsonObject input, bool canSuspend, TState state, Func<FunctionContext, TState, CancellationToken, Task<QueuedRun>> body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var limit = function.Timeout ?? options.Value.DefaultTimeout;
        timeout.CancelAfter(limit);

        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = new FunctionContext(this, info, input, scope.ServiceProvider, canSuspend);
            try
            {
                return await body(context, state, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new FunctionException(ExecutionErrorCodes.Timeout, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The execution ran longer than its timeout of {limit.TotalSeconds} s."));
            }
        }
    }

    /// <summary>What a queued run needs of its execution's row: read, or kept by this node since it created it (<see cref="StartedExecutions"/>).</summary>
    private sealed record RunRow(
        string Id,
        string Function,
        int? FunctionVersion,
        JsonObject? Input,
        string? ParentId,
        int CallDepth,
        string? RootId,
        ExecutionCaller? Caller,
        int Attempts,
        int Resumes,
        bool HasCheckpoint,
        DateTimeOffset CreatedAt,
        DateTimeOffset? StartedAt)
    {
        public static RunRow? From(ExecutionRecord? record) => record is null
            ? null
            : new RunRow(record.Id, record.Function, record.FunctionVersion, record.Input as JsonObject, record.ParentId, record.CallDepth, record.RootId, record.Caller, record.Attempts, record.Resumes, record.HasCheckpoint, record.CreatedAt, record.StartedAt);
    }
}
