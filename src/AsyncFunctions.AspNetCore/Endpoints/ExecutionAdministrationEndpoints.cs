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
        ExecutionAdministration administration,
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

        IReadOnlyList<string>? cancelled = null;
        if (children == true)
        {
            // The parent first, so it starts no more children; then its tree, level by level.
            cancelled = await administration.CancelDescendantsAsync(id, cancellationToken).ConfigureAwait(false);
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
        ExecutionAdministration administration,
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
                // The job is gone: a new execution retries it, linked both ways.
                var retry = await administration.RetryAsNewAsync(record with { Callback = await callbacks.GetAsync(id, cancellationToken).ConfigureAwait(false) }, cancellationToken).ConfigureAwait(false);
                return Results.Accepted($"/api/executions/{Uri.EscapeDataString(retry.Id)}", retry);
        }

        return Results.Ok(await DocumentAsync(id, store, json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<ExecutionRecord> FindAsync(string id, ClaimsPrincipal user, IExecutionStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } found && user.Sees(found)
            ? found
            : throw new UnknownExecutionsException([id]);

    private static async Task<JsonObject> DocumentAsync(string id, IExecutionStore store, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new UnknownExecutionsException([id]);
        return JsonSerializer.SerializeToNode(record, options)!.AsObject();
    }

    private static ApiProblemException Conflict(string title, string detail) => new(StatusCodes.Status409Conflict, title, detail);
}
