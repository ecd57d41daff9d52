using System.Security.Claims;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary><c>/api/functions</c>: the functions and how to start them.</summary>
public static class FunctionEndpoints
{
    public static IEndpointRouteBuilder MapFunctionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/functions").WithTags("Functions").RequireAuthorization(Roles.ReadPolicy);
        group.MapGet("/", ListAsync);
        group.MapGet("/{name}", GetAsync);
        group.MapPut("/{name}", SaveAsync).RequireAuthorization(Roles.AdminPolicy);
        group.MapDelete("/{name}", DeleteAsync).RequireAuthorization(Roles.AdminPolicy);
        group.MapPost("/{name}/executions", StartAsync).RequireAuthorization(Roles.InvokePolicy);
        return app;
    }

    private static async Task<IResult> ListAsync(IFunctionCatalog catalog, CancellationToken cancellationToken)
    {
        var functions = await catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(functions.Select(f => FunctionView.From(f)));
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
            ? FunctionView.From(function, await stacks.GetDocumentAsync(function.Name, function.Version, cancellationToken).ConfigureAwait(false))
            : FunctionView.From(function);

    /// <summary>The fields a start body may hold; any other is refused, so a misspelled or future option is not silently ignored.</summary>
    private static readonly string[] StartFields = ["input", "mode", "runAt", "delaySeconds", Webhooks.StartCallback.Field];

    private static async Task<IResult> StartAsync(
        string name,
        HttpRequest request,
        ClaimsPrincipal user,
        IExecutionService executions,
        IExecutionStore store,
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

        var input = body["input"];
        if (input is not null and not JsonObject)
        {
            throw ApiProblemException.BadField("input", "must be a JSON object");
        }

        var callbackUrl = await Webhooks.StartCallback.ReadAsync(request, body, cancellationToken).ConfigureAwait(false);
        if (callbackUrl is not null && mode == "sync")
        {
            throw ApiProblemException.BadField(Webhooks.StartCallback.Field, "applies to async starts only: a sync start answers with the result");
        }

        // The caller is recorded on the execution, inherited by its children and shown to stacks as $auth.
        var start = new StartRequest(name, input) { Caller = user.Caller(), RunAt = runAt, CallbackUrl = callbackUrl };
        if (mode == "sync" && idempotencyKey is not null)
        {
            throw ApiProblemException.BadField(IdempotentStarts.Header, "applies to async starts only");
        }

        if (mode == "sync")
        {
            var finished = await executions.RunSyncAsync(start, cancellationToken).ConfigureAwait(false);
            return finished.Status == ExecutionStatus.Succeeded
                ? Results.Ok(new { id = finished.Id, output = finished.Output })
                : FunctionFailed(finished);
        }

        if (idempotencyKey is not null)
        {
            // Scoped per API key: two keys may use the same Idempotency-Key without meeting.
            var key = new IdempotentStart(user.Caller()?.Key ?? "", idempotencyKey, name, IdempotentStarts.Hash(name, body));
            var (found, created) = await IdempotentStarts.StartAsync(
                key, store, time, options.Value.IdempotencyRetention, () => executions.StartAsync(start, cancellationToken), cancellationToken).ConfigureAwait(false);
            return created
                ? Results.Accepted($"/api/executions/{Uri.EscapeDataString(found.Id)}", found)
                : Results.Ok(found);
        }

        var record = await executions.StartAsync(start, cancellationToken).ConfigureAwait(false);
        return Results.Accepted($"/api/executions/{Uri.EscapeDataString(record.Id)}", record);
    }

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
