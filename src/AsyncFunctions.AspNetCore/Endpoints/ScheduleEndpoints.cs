using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.AspNetCore.OpenApi;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Schedules;
using AsyncFunctions.Schedules;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary>
/// <c>/api/schedules</c>: functions run on a cron timetable. Every role reads (an invoker its own
/// key's schedules); admin and invoker create, change, trigger, pause and delete (an invoker only
/// its own); a schedule declared in configuration is read-only (409).
/// </summary>
public static class ScheduleEndpoints
{
    private const string Unknown = "No schedule has this name, or an invoker's key did not create it.";

    private const string Conflict = "The schedule is declared in configuration (read-only through the API), or belongs to another key.";

    public static IEndpointRouteBuilder MapScheduleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/schedules").WithTags("Schedules").RequireAuthorization(Roles.ReadPolicy);
        group.MapGet("/", ListAsync)
            .WithName("listSchedules")
            .WithSummary("List schedules")
            .WithDescription("Every schedule by name, with its next and latest occurrence. An invoker sees only the schedules its key created.")
            .Answers<ScheduleView[]>(StatusCodes.Status200OK, "The schedules, by name.");
        group.MapGet("/{name}", GetAsync)
            .WithName("getSchedule")
            .WithSummary("Read a schedule")
            .WithDescription("The schedule with nextRunAt, lastRunAt, lastExecutionId, lastStatus and skippedRuns. Its executions: GET /api/executions?schedule={name}.")
            .Answers<ScheduleView>(StatusCodes.Status200OK, "The schedule.")
            .Fails(StatusCodes.Status404NotFound, Unknown);
        group.MapPut("/{name}", SaveAsync).RequireAuthorization(Roles.InvokePolicy)
            .WithName("saveSchedule")
            .WithSummary("Create or replace a schedule")
            .WithDescription("Runs the function with the input on the cron timetable, each occurrence an execution whose record carries schedule and scheduledFor. The cron, time zone, function and input are checked now. Missed occurrences while the server was down give one catch-up run. Replacing keeps the owner and the run history.")
            .ReadsJsonBody<ScheduleBody>()
            .Answers<ScheduleView>(StatusCodes.Status201Created, "Created.")
            .Answers<ScheduleView>(StatusCodes.Status200OK, "Replaced.")
            .FailsValidation("A field is not valid (cron, timeZone, function, input, overlap, callbackUrl, ...): errors names it.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not manage schedules, or the schedule belongs to another key.")
            .Fails(StatusCodes.Status409Conflict, "The schedule is declared in configuration: read-only through the API.");
        group.MapDelete("/{name}", DeleteAsync).RequireAuthorization(Roles.InvokePolicy)
            .WithName("deleteSchedule")
            .WithSummary("Delete a schedule")
            .WithDescription("No occurrence fires any more; executions already started run on.")
            .AnswersEmpty(StatusCodes.Status204NoContent, "Deleted.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not manage schedules.")
            .Fails(StatusCodes.Status404NotFound, Unknown)
            .Fails(StatusCodes.Status409Conflict, Conflict);
        group.MapPost("/{name}/trigger", TriggerAsync).RequireAuthorization(Roles.InvokePolicy)
            .WithName("triggerSchedule")
            .WithSummary("Run a schedule now")
            .WithDescription("Starts one occurrence now (scheduledFor is now), paused or not. Under overlap \"skip\" while the previous execution has not finished, nothing starts: 409 with code schedule.overlap, counted in skippedRuns.")
            .Answers<ExecutionRecord>(StatusCodes.Status202Accepted, "Queued: the new execution's record.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not manage schedules.")
            .Fails(StatusCodes.Status404NotFound, Unknown)
            .Fails(StatusCodes.Status409Conflict, "The previous execution has not finished (overlap \"skip\"): skipped.");
        group.MapPost("/{name}/pause", (string name, ClaimsPrincipal user, ScheduleService schedules, IExecutionStore executions, TimeProvider time, CancellationToken cancellationToken) =>
                SetEnabledAsync(name, false, user, schedules, executions, time, cancellationToken))
            .RequireAuthorization(Roles.InvokePolicy)
            .WithName("pauseSchedule")
            .WithSummary("Pause a schedule")
            .WithDescription("No occurrence fires until it is resumed; the executions already started run on.")
            .Answers<ScheduleView>(StatusCodes.Status200OK, "Paused.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not manage schedules.")
            .Fails(StatusCodes.Status404NotFound, Unknown)
            .Fails(StatusCodes.Status409Conflict, Conflict);
        group.MapPost("/{name}/resume", (string name, ClaimsPrincipal user, ScheduleService schedules, IExecutionStore executions, TimeProvider time, CancellationToken cancellationToken) =>
                SetEnabledAsync(name, true, user, schedules, executions, time, cancellationToken))
            .RequireAuthorization(Roles.InvokePolicy)
            .WithName("resumeSchedule")
            .WithSummary("Resume a schedule")
            .WithDescription("Occurrences fire again from the next tick on; none for the time it was paused.")
            .Answers<ScheduleView>(StatusCodes.Status200OK, "Resumed.")
            .Fails(StatusCodes.Status403Forbidden, "The key's role may not manage schedules.")
            .Fails(StatusCodes.Status404NotFound, Unknown)
            .Fails(StatusCodes.Status409Conflict, Conflict);
        return app;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, ScheduleService schedules, IExecutionStore executions, TimeProvider time, CancellationToken cancellationToken)
    {
        var list = await schedules.ListAsync(user.Caller(), cancellationToken).ConfigureAwait(false);
        var ids = list.Select(s => s.LastExecutionId).OfType<string>().ToArray();
        var results = await executions.GetResultsAsync(ids, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return Results.Ok(list.Select(s => ScheduleView.From(s, now, s.LastExecutionId is { } id && results.TryGetValue(id, out var r) ? r.Status : null)));
    }

    private static async Task<IResult> GetAsync(string name, ClaimsPrincipal user, ScheduleService schedules, IExecutionStore executions, TimeProvider time, CancellationToken cancellationToken)
    {
        var schedule = await schedules.GetAsync(name, user.Caller(), cancellationToken).ConfigureAwait(false);
        return Results.Ok(await ViewAsync(schedule, executions, time, cancellationToken).ConfigureAwait(false));
    }

    private static readonly string[] Fields = ["function", "input", "cron", "timeZone", "enabled", "overlap", Webhooks.StartCallback.Field];

    private static async Task<IResult> SaveAsync(string name, HttpRequest request, ClaimsPrincipal user, ScheduleService schedules, IExecutionStore executions, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(request, Fields, cancellationToken).ConfigureAwait(false);
        var input = body["input"];
        if (input is not null and not JsonObject)
        {
            throw ApiProblemException.BadField("input", "must be a JSON object");
        }

        var candidate = new Schedule
        {
            Name = name,
            Function = RequiredString(body, "function"),
            Input = input as JsonObject ?? [],
            Cron = RequiredString(body, "cron"),
            TimeZone = OptionalString(body, "timeZone") ?? "UTC",
            Enabled = OptionalBool(body, "enabled") ?? true,
            Overlap = ReadOverlap(body),
            CallbackUrl = await Webhooks.StartCallback.ReadAsync(request, body, cancellationToken).ConfigureAwait(false),
        };
        var (saved, created) = await schedules.SaveAsync(candidate, user.Caller(), cancellationToken).ConfigureAwait(false);
        var view = await ViewAsync(saved, executions, time, cancellationToken).ConfigureAwait(false);
        return created ? Results.Created($"/api/schedules/{Uri.EscapeDataString(name)}", view) : Results.Ok(view);
    }

    private static async Task<IResult> DeleteAsync(string name, ClaimsPrincipal user, ScheduleService schedules, CancellationToken cancellationToken)
    {
        await schedules.DeleteAsync(name, user.Caller(), cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> TriggerAsync(string name, ClaimsPrincipal user, ScheduleService schedules, CancellationToken cancellationToken)
    {
        var caller = user.Caller();
        var schedule = await schedules.GetAsync(name, caller, cancellationToken).ConfigureAwait(false);
        if (caller is { Role: Roles.Invoker } && schedule.Declared)
        {
            throw new UnknownScheduleException(name);
        }

        var record = await schedules.TriggerAsync(name, caller, cancellationToken).ConfigureAwait(false);
        return Results.Accepted($"/api/executions/{Uri.EscapeDataString(record.Id)}", record);
    }

    private static async Task<IResult> SetEnabledAsync(string name, bool enabled, ClaimsPrincipal user, ScheduleService schedules, IExecutionStore executions, TimeProvider time, CancellationToken cancellationToken)
    {
        var schedule = await schedules.SetEnabledAsync(name, enabled, user.Caller(), cancellationToken).ConfigureAwait(false);
        return Results.Ok(await ViewAsync(schedule, executions, time, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<ScheduleView> ViewAsync(Schedule schedule, IExecutionStore executions, TimeProvider time, CancellationToken cancellationToken)
    {
        ExecutionStatus? lastStatus = null;
        if (schedule.LastExecutionId is { } id)
        {
            var results = await executions.GetResultsAsync([id], cancellationToken).ConfigureAwait(false);
            lastStatus = results.TryGetValue(id, out var result) ? result.Status : null;
        }

        return ScheduleView.From(schedule, time.GetUtcNow(), lastStatus);
    }

    private static string RequiredString(JsonObject body, string field) =>
        OptionalString(body, field) ?? throw ApiProblemException.BadField(field, "is required");

    private static string? OptionalString(JsonObject body, string field) => body[field] switch
    {
        null => null,
        var node when node.GetValueKind() == JsonValueKind.String => node.GetValue<string>(),
        _ => throw ApiProblemException.BadField(field, "must be a string"),
    };

    private static bool? OptionalBool(JsonObject body, string field) => body[field] switch
    {
        null => null,
        var node when node.GetValueKind() is JsonValueKind.True or JsonValueKind.False => node.GetValue<bool>(),
        _ => throw ApiProblemException.BadField(field, "must be true or false"),
    };

    private static ScheduleOverlap ReadOverlap(JsonObject body) => OptionalString(body, "overlap") switch
    {
        null or "skip" => ScheduleOverlap.Skip,
        "allow" => ScheduleOverlap.Allow,
        _ => throw ApiProblemException.BadField("overlap", "must be \"skip\" or \"allow\""),
    };
}
