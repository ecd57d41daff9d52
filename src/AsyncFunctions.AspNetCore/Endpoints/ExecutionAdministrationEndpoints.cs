using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Webhooks;
using AsyncFunctions.Running;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary>
/// <c>/api/executions/{id}/cancel</c> and <c>/retry</c>: administration through the API. Admin may
/// act on every execution, an invoker on the ones its key started (others are 404), a viewer on none.
/// </summary>
public static class ExecutionAdministrationEndpoints
{
    public static IEndpointRouteBuilder MapExecutionAdministrationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/executions").WithTags("Executions").RequireAuthorization(Roles.InvokePolicy);
        group.MapPost("/{id}/cancel", CancelAsync)
            .WithName("cancelExecution")
            .WithSummary("Cancel an execution")
            .WithDescription("Cancels an unfinished execution; with children=true, also every unfinished execution below it. An invoker may cancel only the executions its key started.")
            .Answers<CancelledExecution>(StatusCodes.Status200OK, "Cancelled: the execution's record (with cancelledChildren when children=true).")
            .FailsValidation("A parameter is not valid or not known.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not act on executions (admin and invoker only).")
            .Fails<UnknownExecutionsProblem>(StatusCodes.Status404NotFound, "No execution has this id, or an invoker's key did not start it.")
            .Fails(StatusCodes.Status409Conflict, "The execution is finished, or it has no job to cancel (a sync run).");
        group.MapPost("/{id}/retry", RetryAsync)
            .WithName("retryExecution")
            .WithSummary("Retry an execution")
            .WithDescription("Queues a Failed or Cancelled execution again. When its job is gone, starts a new execution of the same function version and input instead (202), linked both ways (retryOf, retriedBy).")
            .Answers<ExecutionRecord>(StatusCodes.Status200OK, "Queued again: the execution's record.")
            .Answers<ExecutionRecord>(StatusCodes.Status202Accepted, "Its job was gone: the new execution that retries it.")
            .FailsValidation("A parameter is not known.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not act on executions (admin and invoker only).")
            .Fails<UnknownExecutionsProblem>(StatusCodes.Status404NotFound, "No execution has this id, or an invoker's key did not start it.")
            .Fails(StatusCodes.Status409Conflict, "The execution is not Failed or Cancelled, or was retried already.");
        return app;
    }

    private static async Task<IResult> CancelAsync(
        string id,
        bool? children,
        HttpRequest request,
        ClaimsPrincipal user,
        IExecutionStore store,
        IExecutionControl control,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        QueryParameters.RejectUnknown(request, "children");
        var record = await FindAsync(id, user, store, cancellationToken).ConfigureAwait(false);
        if (record.Status.IsTerminal())
        {
            throw Conflict("The execution is finished", $"Execution '{id}' is {record.Status}; only an unfinished execution can be cancelled.");
        }

        switch (await control.CancelAsync(id, cancellationToken).ConfigureAwait(false))
        {
            case ControlOutcome.NoJob:
                throw Conflict("The execution has no job", $"Execution '{id}' has no job to cancel: it runs inside its request (mode \"sync\"), or its job is gone.");
            case ControlOutcome.WrongState:
                throw Conflict("The execution is finished", $"Execution '{id}' finished before it could be cancelled.");
        }

        List<string>? cancelled = null;
        if (children == true)
        {
            // The parent first, so it starts no more children; then its tree, level by level.
            cancelled = await CancelDescendantsAsync(id, store, control, cancellationToken).ConfigureAwait(false);
        }

        var document = await DocumentAsync(id, store, json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false);
        if (cancelled is not null)
        {
            document["cancelledChildren"] = new JsonArray([.. cancelled.Select(c => (JsonNode)JsonValue.Create(c)!)]);
        }

        return Results.Ok(document);
    }

    private static async Task<IResult> RetryAsync(
        string id,
        HttpRequest request,
        ClaimsPrincipal user,
        IExecutionStore store,
        IExecutionControl control,
        IExecutionService executions,
        ICallbackStore callbacks,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        QueryParameters.RejectUnknown(request);
        var record = await FindAsync(id, user, store, cancellationToken).ConfigureAwait(false);
        if (record.Status is not (ExecutionStatus.Failed or ExecutionStatus.Cancelled))
        {
            throw Conflict("The execution cannot be retried", $"Execution '{id}' is {record.Status}; only a Failed or Cancelled execution can be retried.");
        }

        switch (await control.RequeueAsync(id, cancellationToken).ConfigureAwait(false))
        {
            case ControlOutcome.WrongState:
                throw Conflict("The execution cannot be retried", $"Execution '{id}' changed state before it could be retried.");
            case ControlOutcome.NoJob:
                return await RetryAsNewAsync(record with { Callback = await callbacks.GetAsync(id, cancellationToken).ConfigureAwait(false) }, store, control, executions, cancellationToken).ConfigureAwait(false);
        }

        return Results.Ok(await DocumentAsync(id, store, json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The job is gone (expired, or lost at a restart of the embedded default): a new execution of the
    /// same function version and input, for the same caller, linked both ways with the one it retries.
    /// </summary>
    private static async Task<IResult> RetryAsNewAsync(ExecutionRecord record, IExecutionStore store, IExecutionControl control, IExecutionService executions, CancellationToken cancellationToken)
    {
        if (record.RetriedBy is { } earlier)
        {
            throw Conflict("The execution was retried already", $"Execution '{record.Id}' was retried already as execution '{earlier}'.");
        }

        var retry = await executions.StartAsync(
            new StartRequest(record.Function, record.Input) { Caller = record.Caller, FunctionVersion = record.FunctionVersion, CallbackUrl = record.Callback?.Url },
            cancellationToken).ConfigureAwait(false);
        if (!await store.LinkRetryAsync(record.Id, retry.Id, CancellationToken.None).ConfigureAwait(false))
        {
            // A concurrent retry linked its own first: this one must not run as well.
            await control.CancelAsync(retry.Id, CancellationToken.None).ConfigureAwait(false);
            var winner = (await store.GetAsync(record.Id, cancellationToken).ConfigureAwait(false))?.RetriedBy;
            throw Conflict("The execution was retried already", $"Execution '{record.Id}' was retried already as execution '{winner}'.");
        }

        return Results.Accepted($"/api/executions/{Uri.EscapeDataString(retry.Id)}", retry with { RetryOf = record.Id });
    }

    private static async Task<ExecutionRecord> FindAsync(string id, ClaimsPrincipal user, IExecutionStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } found && user.Sees(found)
            ? found
            : throw new UnknownExecutionsException([id]);

    /// <summary>Cancels every unfinished execution below <paramref name="id"/>; returns their ids.</summary>
    private static async Task<List<string>> CancelDescendantsAsync(string id, IExecutionStore store, IExecutionControl control, CancellationToken cancellationToken)
    {
        var cancelled = new List<string>();
        var parents = new Queue<string>([id]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { id };
        while (parents.TryDequeue(out var parent))
        {
            string? cursor = null;
            do
            {
                var page = await store.ListAsync(new ExecutionQuery(ParentId: parent, Limit: ExecutionQuery.MaxLimit, Cursor: cursor), cancellationToken).ConfigureAwait(false);
                foreach (var child in page.Items)
                {
                    if (!seen.Add(child.Id))
                    {
                        continue;
                    }

                    // A finished child may still have unfinished children of its own.
                    parents.Enqueue(child.Id);
                    if (!child.Status.IsTerminal() && await control.CancelAsync(child.Id, cancellationToken).ConfigureAwait(false) == ControlOutcome.Done)
                    {
                        cancelled.Add(child.Id);
                    }
                }

                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }

        return cancelled;
    }

    private static async Task<JsonObject> DocumentAsync(string id, IExecutionStore store, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new UnknownExecutionsException([id]);
        return JsonSerializer.SerializeToNode(record, options)!.AsObject();
    }

    private static ApiProblemException Conflict(string title, string detail) => new(StatusCodes.Status409Conflict, title, detail);
}
