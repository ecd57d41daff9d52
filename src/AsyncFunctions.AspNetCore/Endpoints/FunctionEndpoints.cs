using System.Security.Claims;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary><c>/api/functions</c>: the functions and how to start them.</summary>
public static class FunctionEndpoints
{
    public static IEndpointRouteBuilder MapFunctionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/functions").WithTags("Functions").RequireAuthorization(Roles.ReadPolicy);
        group.MapGet("/", ListAsync)
            .WithName("listFunctions")
            .WithSummary("List the functions")
            .WithDescription("Every C# function and function stack, latest version, without its document.")
            .Answers<FunctionView[]>(StatusCodes.Status200OK, "The functions, by name.");
        group.MapGet("/{name}", GetAsync)
            .WithName("getFunction")
            .WithSummary("Read a function")
            .WithDescription("A function's declared inputs, retries and timeout; for a function stack, also its document (definition).")
            .Answers<FunctionView>(StatusCodes.Status200OK, "The function.")
            .Fails(StatusCodes.Status404NotFound, "No function has this name.");
        group.MapPut("/{name}", SaveAsync).RequireAuthorization(Roles.AdminPolicy)
            .WithName("saveFunction")
            .WithSummary("Create or replace a function stack")
            .WithDescription("Saves a function stack document as the next version of the function (admin). Executions already started keep the version they run. Every problem of the document is answered at once, by JSON path.")
            .ReadsJsonBody<FunctionDocument>()
            .Answers<FunctionView>(StatusCodes.Status201Created, "Created: version 1 of a new function stack.")
            .Answers<FunctionView>(StatusCodes.Status200OK, "Replaced: a new version of an existing function stack.")
            .FailsValidation("The document is not valid: errors by JSON path, and problems in document order.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not change definitions (admin only).")
            .Fails(StatusCodes.Status409Conflict, "The name belongs to a C# function.");
        group.MapDelete("/{name}", DeleteAsync).RequireAuthorization(Roles.AdminPolicy)
            .WithName("deleteFunction")
            .WithSummary("Delete a function stack")
            .WithDescription("Deletes every version of a function stack (admin). Executions already started finish with the version they run.")
            .AnswersEmpty(StatusCodes.Status204NoContent, "Deleted.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not change definitions (admin only).")
            .Fails(StatusCodes.Status404NotFound, "No function stack has this name.");
        group.MapPost("/{name}/executions", StartAsync).RequireAuthorization(Roles.InvokePolicy)
            .WithName("startExecution")
            .WithSummary("Start an execution")
            .WithDescription("Queues an execution of the function (202, read it at Location), now or later (runAt, delaySeconds). With an Idempotency-Key header, a repeated start answers the execution the first one started (200). A start of a debounced function made while its pending execution waits folds into it (200, debounced true). With AsyncFunctions:Execution:AllowQueueOverride, queue chooses the queue. To run one inside the request, use runFunction (POST /api/functions/{name}/run); mode \"sync\" here is still accepted for older callers and answers as runFunction does.")
            .ReadsJsonBody<StartExecutionBody>(optional: true)
            .WithMetadata(new IdempotencyKeyMetadata())
            .Answers<ExecutionRecord>(StatusCodes.Status202Accepted, "Queued (or scheduled, with runAt or delaySeconds): the new execution's record.")
            .Answers<ExecutionRecord>(StatusCodes.Status200OK, "An Idempotency-Key already used for the same request: the execution the first start queued. Or a debounced function's start folded into its pending execution: that execution's record, with debounced true.")
            .FailsValidation("The body or the input is not valid: errors names each field or input at fault.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not start executions (admin and invoker only).")
            .Fails(StatusCodes.Status404NotFound, "No function has this name.")
            .Fails(StatusCodes.Status409Conflict, "A start with the same Idempotency-Key has not finished yet; try again.")
            .Fails<FunctionFailedProblem>(StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for another request.");
        group.MapPost("/{name}/run", RunAsync).RequireAuthorization(Roles.InvokePolicy)
            .WithName("runFunction")
            .WithSummary("Run a function inside the request")
            .WithDescription("Runs an execution of the function inside the request (no queue) and answers its output; the execution is recorded like any other. 422 when the function failed.")
            .ReadsJsonBody<RunFunctionBody>(optional: true)
            .Answers<SyncExecutionResult>(StatusCodes.Status200OK, "The output of the finished execution.")
            .FailsValidation("The body or the input is not valid: errors names each field or input at fault.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not start executions (admin and invoker only).")
            .Fails(StatusCodes.Status404NotFound, "No function has this name.")
            .Fails<FunctionFailedProblem>(StatusCodes.Status422UnprocessableEntity, "The function failed: executionId and error say which and why.");
        return app;
    }

    private static async Task<IResult> ListAsync(IFunctionCatalog catalog, CancellationToken cancellationToken)
    {
        var functions = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(functions.Select(f => FunctionViews.From(f)));
    }

    private static async Task<IResult> GetAsync(string name, IFunctionCatalog catalog, StackDefinitions stacks, CancellationToken cancellationToken)
    {
        var function = await catalog.FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw new UnknownFunctionException(name);
        return Results.Ok(await ViewAsync(function, stacks, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Creates or replaces a function stack; executions already started keep the version they run.</summary>
    private static async Task<IResult> SaveAsync(string name, HttpRequest request, StackDefinitions stacks, IFunctionCatalog catalog, CancellationToken cancellationToken)
    {
        var document = await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var saved = await stacks.SaveAsync(name, document, cancellationToken: cancellationToken).ConfigureAwait(false);
        var function = await catalog.FindAsync(name, saved.Version, cancellationToken).ConfigureAwait(false) ?? throw new UnknownFunctionException(name);
        var view = await ViewAsync(function, stacks, cancellationToken).ConfigureAwait(false);
        return saved.Created
            ? Results.Created($"/api/functions/{Uri.EscapeDataString(name)}", view)
            : Results.Ok(view);
    }

    private static async Task<IResult> DeleteAsync(string name, StackDefinitions stacks, CancellationToken cancellationToken) =>
        await stacks.DeleteAsync(name, cancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : throw new UnknownFunctionException(name);

    private static async Task<FunctionView> ViewAsync(FunctionDescriptor function, StackDefinitions stacks, CancellationToken cancellationToken) =>
        function.Kind == StackFunctionDescriptor.Kind
            ? FunctionViews.From(function, await stacks.GetDocumentAsync(function.Name, function.Version, cancellationToken).ConfigureAwait(false))
            : FunctionViews.From(function);

    /// <summary>The fields a start body may hold; any other is refused, so a misspelled or future option is not silently ignored.</summary>
    private static readonly string[] StartFields = ["input", "mode", "runAt", "delaySeconds", Webhooks.StartCallback.Field, AsyncFunctions.FlowControl.StartRefusedException.QueueField];

    private static async Task<IResult> StartAsync(
        string name,
        HttpRequest request,
        ClaimsPrincipal user,
        IExecutionService executions,
        IdempotentStarter idempotent,
        TimeProvider time,
        IOptions<ApiOptions> options,
        CancellationToken cancellationToken)
    {
        var idempotencyKey = IdempotentStarts.ReadKey(request);
        var body = await JsonBody.ReadObjectAsync(request, StartFields, cancellationToken).ConfigureAwait(false);
        var mode = ReadMode(body);
        var runAt = StartDelay.Read(body, time.GetUtcNow());
        if (runAt is not null && mode == "sync")
        {
            throw ApiProblemException.BadField(body["runAt"] is null ? "delaySeconds" : "runAt", "a delayed start needs mode \"async\"");
        }

        var input = ReadInput(body);

        var callbackUrl = await Webhooks.StartCallback.ReadAsync(request, body, cancellationToken).ConfigureAwait(false);
        if (callbackUrl is not null && mode == "sync")
        {
            throw ApiProblemException.BadField(Webhooks.StartCallback.Field, "applies to async starts only: a sync start answers with the result");
        }

        var queue = ReadQueue(body);
        if (queue is not null && mode == "sync")
        {
            throw ApiProblemException.BadField(AsyncFunctions.FlowControl.StartRefusedException.QueueField, "applies to async starts only: a sync start runs in the request, on no queue");
        }

        // The caller is recorded on the execution, inherited by its children and shown to stacks as $auth.
        var start = new StartRequest(name, input) { Caller = user.Caller(), RunAt = runAt, CallbackUrl = callbackUrl, Queue = queue };
        if (mode == "sync" && idempotencyKey is not null)
        {
            throw ApiProblemException.BadField(IdempotentStarts.Header, "applies to async starts only");
        }

        if (mode == "sync")
        {
            // Older callers' way of runFunction, kept working.
            return await RunSyncAsync(executions, start, cancellationToken).ConfigureAwait(false);
        }

        if (idempotencyKey is not null)
        {
            // Scoped per API key: two keys may use the same Idempotency-Key without meeting.
            var key = new IdempotentStart(user.Caller()?.Key ?? "", idempotencyKey, name, IdempotentStarts.Hash(name, body));
            var (found, created) = await idempotent.StartAsync(
                key, options.Value.IdempotencyRetention, () => executions.StartAsync(start, cancellationToken), cancellationToken).ConfigureAwait(false);
            return created && found.Debounced != true
                ? Results.Accepted($"/api/executions/{Uri.EscapeDataString(found.Id)}", found)
                : Results.Ok(found);
        }

        var record = await executions.StartAsync(start, cancellationToken).ConfigureAwait(false);
        // A start of a debounced function that folded into the pending execution started nothing new.
        return record.Debounced == true
            ? Results.Ok(record)
            : Results.Accepted($"/api/executions/{Uri.EscapeDataString(record.Id)}", record);
    }

    private static readonly string[] RunFields = ["input"];

    private static async Task<IResult> RunAsync(string name, HttpRequest request, ClaimsPrincipal user, IExecutionService executions, CancellationToken cancellationToken)
    {
        if (IdempotentStarts.ReadKey(request) is not null)
        {
            throw ApiProblemException.BadField(IdempotentStarts.Header, "applies to async starts only");
        }

        var body = await JsonBody.ReadObjectAsync(request, RunFields, cancellationToken).ConfigureAwait(false);
        return await RunSyncAsync(executions, new StartRequest(name, ReadInput(body)) { Caller = user.Caller() }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> RunSyncAsync(IExecutionService executions, StartRequest start, CancellationToken cancellationToken)
    {
        var finished = await executions.RunSyncAsync(start, cancellationToken).ConfigureAwait(false);
        return finished.Status == ExecutionStatus.Succeeded
            ? Results.Ok(new { id = finished.Id, output = finished.Output })
            : FunctionFailed(finished);
    }

    private static JsonObject? ReadInput(JsonObject body) => body["input"] switch
    {
        null => null,
        JsonObject input => input,
        _ => throw ApiProblemException.BadField("input", "must be a JSON object"),
    };

    /// <summary>The start's <c>queue</c>; whether it may name one is the execution service's rule (AsyncFunctions:Execution:AllowQueueOverride).</summary>
    private static string? ReadQueue(JsonObject body) => body[AsyncFunctions.FlowControl.StartRefusedException.QueueField] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => value.GetValue<string>(),
        _ => throw ApiProblemException.BadField(AsyncFunctions.FlowControl.StartRefusedException.QueueField, "must be a queue name (a text)"),
    };

    private static string ReadMode(JsonObject body)
    {
        var mode = body["mode"];
        if (mode is null)
        {
            return "async";
        }

        var text = mode.GetValueKind() == System.Text.Json.JsonValueKind.String ? mode.GetValue<string>() : null;
        return text is "async" or "sync" ? text : throw ApiProblemException.BadField("mode", "must be \"async\" or \"sync\"");
    }

    private static IResult FunctionFailed(ExecutionRecord finished) => Results.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "The function failed",
        detail: finished.Error?.Message,
        extensions: new Dictionary<string, object?> { ["executionId"] = finished.Id, ["error"] = finished.Error });
}
