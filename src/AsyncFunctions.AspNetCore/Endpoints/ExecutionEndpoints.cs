using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Logging;
using Microsoft.AspNetCore.Http.Json;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary><c>/api/executions</c>: records, listing, long-polling and await.</summary>
public static class ExecutionEndpoints
{
    public static IEndpointRouteBuilder MapExecutionEndpoints(this IEndpointRouteBuilder app)
    {
        // Every role reads; an invoker sees only the executions its key started (others are 404 or absent).
        var group = app.MapGroup("/api/executions").WithTags("Executions").RequireAuthorization(Roles.ReadPolicy);
        group.MapGet("/", ListAsync)
            .WithName("listExecutions")
            .WithSummary("List executions")
            .WithDescription("Executions newest first, filtered by function, status, parent, schedule, error code and creation time, one page at a time (pass nextCursor as cursor). An invoker sees only the executions its key started.")
            .Answers<ExecutionList>(StatusCodes.Status200OK, "One page of executions.")
            .FailsValidation("A parameter is not valid or not known: errors names it.");
        group.MapGet("/{id}", GetAsync)
            .WithName("getExecution")
            .WithSummary("Read an execution")
            .WithDescription("The execution's record with the messages its function logged. With waitSeconds, waits up to that long for it to finish before answering (long polling).")
            .Answers<ExecutionDetails>(StatusCodes.Status200OK, "The execution, as it is when it finished or waitSeconds passed.")
            .FailsValidation("waitSeconds is out of range, or a parameter is not known.")
            .Fails<UnknownExecutionsProblem>(StatusCodes.Status404NotFound, "No execution has this id, or an invoker's key did not start it.");
        group.MapPost("/await", AwaitAsync)
            .WithName("awaitExecutions")
            .WithSummary("Await executions")
            .WithDescription("Waits until every execution named is finished, or timeoutSeconds passes, and answers their results in request order.")
            .ReadsJsonBody<AwaitBody>()
            .Answers<AwaitResult>(StatusCodes.Status200OK, "The results; completed is false when the timeout passed first.")
            .FailsValidation("ids or timeoutSeconds is not valid, or the body has another field.")
            .Fails<UnknownExecutionsProblem>(StatusCodes.Status404NotFound, "Some ids name no execution, or executions an invoker's key did not start: ids lists them.");
        return app;
    }

    private static async Task<IResult> GetAsync(
        string id,
        int? waitSeconds,
        HttpRequest request,
        ClaimsPrincipal user,
        IExecutionStore store,
        IExecutionLogStore logs,
        IExecutionAwaiter awaiter,
        IOptions<ApiOptions> options,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        QueryParameters.RejectUnknown(request, "waitSeconds");
        var max = options.Value.MaxWaitSeconds;
        if (waitSeconds is < 0 || waitSeconds > max)
        {
            throw ApiProblemException.BadField("waitSeconds", $"must be between 0 and {max}");
        }

        var record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } found && user.Sees(found)
            ? found
            : throw new UnknownExecutionsException([id]);
        if (waitSeconds > 0 && !record.Status.IsTerminal())
        {
            await awaiter.AwaitAsync([id], TimeSpan.FromSeconds(waitSeconds.Value), cancellationToken).ConfigureAwait(false);
            record = await store.GetAsync(id, cancellationToken).ConfigureAwait(false) ?? record;
        }

        if (record.Status == ExecutionStatus.Waiting && request.HttpContext.RequestServices.GetService<AsyncFunctions.FlowControl.IFlowAdmissionStore>() is { } admission)
        {
            record = record with { WaitingForLimit = await admission.DescribeWaitAsync(id, cancellationToken).ConfigureAwait(false) };
        }

        // The record with the messages the function logged, in one document.
        var document = JsonSerializer.SerializeToNode(record, json.Value.SerializerOptions)!.AsObject();
        document["logs"] = JsonSerializer.SerializeToNode(await logs.ListAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false), json.Value.SerializerOptions);
        await Webhooks.CallbackView.AddToAsync(document, request, id, json.Value.SerializerOptions, cancellationToken).ConfigureAwait(false);
        return Results.Ok(document);
    }

    private static readonly string[] ListParameters = ["function", "status", "parentId", "schedule", "errorCode", "createdAfter", "createdBefore", "limit", "cursor"];

    private static async Task<IResult> ListAsync(
        string? function,
        string? status,
        string? parentId,
        string? schedule,
        string? errorCode,
        string? createdAfter,
        string? createdBefore,
        int? limit,
        string? cursor,
        HttpRequest request,
        ClaimsPrincipal user,
        IExecutionStore store,
        CancellationToken cancellationToken)
    {
        QueryParameters.RejectUnknown(request, ListParameters);
        var after = QueryParameters.Timestamp(createdAfter, "createdAfter");
        var before = QueryParameters.Timestamp(createdBefore, "createdBefore");
        ExecutionStatus? parsedStatus = null;
        if (status is not null)
        {
            parsedStatus = Enum.TryParse<ExecutionStatus>(status, ignoreCase: true, out var s) && !int.TryParse(status, out _)
                ? s
                : throw ApiProblemException.BadField("status", "must be one of " + string.Join(", ", Enum.GetNames<ExecutionStatus>()));
        }

        if (limit is < 1 or > ExecutionQuery.MaxLimit)
        {
            throw ApiProblemException.BadField("limit", $"must be between 1 and {ExecutionQuery.MaxLimit}");
        }

        ExecutionPage page;
        try
        {
            var query = new ExecutionQuery(function, parsedStatus, parentId, limit ?? 50, cursor, user.ScopedKey())
            {
                ErrorCode = errorCode,
                Schedule = schedule,

                // "After" is exclusive; the store's lower bound is inclusive, to the microsecond every store keeps.
                CreatedFrom = after?.AddTicks(TimeSpan.TicksPerMicrosecond),
                CreatedBefore = before,
            };
            page = await store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidCursorException ex)
        {
            throw ApiProblemException.BadField("cursor", ex.Message);
        }

        return Results.Ok(new { items = page.Items, nextCursor = page.NextCursor });
    }

    private static readonly string[] AwaitFields = ["ids", "timeoutSeconds"];

    private static async Task<IResult> AwaitAsync(HttpRequest request, ClaimsPrincipal user, IExecutionStore store, IExecutionAwaiter awaiter, IOptions<AwaitOptions> options, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(request, AwaitFields, cancellationToken).ConfigureAwait(false);
        var ids = ReadIds(body, options.Value.MaxIds);
        var timeout = ReadTimeout(body, options.Value.MaxTimeout);
        // Another key's execution is unknown to an invoker, as in GET.
        await ExecutionVisibility.ThrowUnlessAllSeenAsync(store, user.Caller(), ids, cancellationToken).ConfigureAwait(false);

        var outcome = await awaiter.AwaitAsync(ids, timeout, cancellationToken).ConfigureAwait(false);
        return Results.Ok(new { completed = outcome.Completed, results = outcome.Results });
    }

    private static string[] ReadIds(JsonObject body, int max)
    {
        if (body["ids"] is not JsonArray array)
        {
            throw ApiProblemException.BadField("ids", "is required: an array of execution ids");
        }

        if (array.Count == 0 || array.Count > max)
        {
            throw ApiProblemException.BadField("ids", $"must hold 1 to {max} ids; it holds {array.Count}");
        }

        var ids = new string[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            ids[i] = array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } id
                ? id
                : throw ApiProblemException.BadField($"ids[{i}]", "must be a non-empty string");
        }

        return ids;
    }

    private static TimeSpan ReadTimeout(JsonObject body, TimeSpan max)
    {
        var node = body["timeoutSeconds"];
        if (node is null)
        {
            return TimeSpan.FromSeconds(Math.Min(30, max.TotalSeconds));
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<double>(out var seconds) || seconds < 0 || seconds > max.TotalSeconds)
        {
            throw ApiProblemException.BadField("timeoutSeconds", $"must be a number from 0 to {max.TotalSeconds}");
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
