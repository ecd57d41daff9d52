using System.Globalization;
using System.Security.Claims;
using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.AspNetCore.Http;
using AsyncFunctions.AspNetCore.OpenApi;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Events;

/// <summary>
/// <c>GET /api/executions/{id}/events</c> and <c>GET /api/executions/events?ids=...</c>: the
/// status changes of executions as server-sent events, until they are terminal.
/// </summary>
public static class ExecutionEventsEndpoints
{
    public static IServiceCollection AddExecutionEvents(this IServiceCollection services)
    {
        const string section = EventStreamOptions.Section;
        services.AddOptions<EventStreamOptions>().BindConfiguration(section)
            .Validate(o => o.MaxEventStreamIds is >= 1 and <= 10_000, $"{section}:MaxEventStreamIds must be between 1 and 10000.")
            .Validate(o => o.MaxEventStreamSeconds >= 1, $"{section}:MaxEventStreamSeconds must be at least 1.")
            .Validate(o => o.EventKeepAliveSeconds >= 1, $"{section}:EventKeepAliveSeconds must be at least 1.")
            .Validate(o => o.EventPollSeconds >= 0.05 && double.IsFinite(o.EventPollSeconds), $"{section}:EventPollSeconds must be at least 0.05.")
            .ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapExecutionEventsEndpoints(this IEndpointRouteBuilder app)
    {
        // The read policy of the other execution endpoints: an invoker streams only its key's executions.
        var group = app.MapGroup("/api/executions").WithTags("Executions").RequireAuthorization(Roles.ReadPolicy);
        DescribeStream(group.MapGet("/{id}/events", StreamOneAsync)
            .WithName("StreamExecutionEvents")
            .WithSummary("Streams the status changes of one execution as server-sent events until it is terminal"));
        DescribeStream(group.MapGet("/events", StreamManyAsync)
            .WithName("StreamExecutionsEvents")
            .WithSummary("Streams the status changes of several executions as server-sent events until all are terminal"));
        return app;
    }

    /// <summary>The answers both streams give; 401 and 429 come with every keyed operation.</summary>
    private static void DescribeStream(RouteHandlerBuilder stream) => stream
        .AnswersEvents<ExecutionRecord>(StatusCodes.Status200OK, "event: status per change, its data the execution record without logs; event: end last.")
        .FailsValidation("ids is missing, empty, repeated or over AsyncFunctions:Api:MaxEventStreamIds, or a parameter is not known.")
        .Fails<UnknownExecutionsProblem>(StatusCodes.Status404NotFound, "Some ids name no execution, or executions an invoker's key did not start: ids lists them.");

    private static Task StreamOneAsync(string id, HttpContext context, ClaimsPrincipal user, IExecutionStore store, ExecutionChangeFeed changes, IOptions<EventStreamOptions> options, IOptions<JsonOptions> json, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        QueryParameters.RejectUnknown(context.Request);
        return StreamAsync([id], context, user, store, changes, options.Value, json.Value, time, lifetime);
    }

    private static Task StreamManyAsync(string[]? ids, HttpContext context, ClaimsPrincipal user, IExecutionStore store, ExecutionChangeFeed changes, IOptions<EventStreamOptions> options, IOptions<JsonOptions> json, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        QueryParameters.RejectUnknown(context.Request, "ids");
        return StreamAsync(ReadIds(ids ?? [], options.Value.MaxEventStreamIds), context, user, store, changes, options.Value, json.Value, time, lifetime);
    }

    private static async Task StreamAsync(
        IReadOnlyList<string> ids,
        HttpContext context,
        ClaimsPrincipal user,
        IExecutionStore store,
        ExecutionChangeFeed changes,
        EventStreamOptions options,
        JsonOptions json,
        TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        // Watch before the first read, so a change between the read and the wait is not missed.
        using var watch = changes.Watch(ids);
        var current = new List<ExecutionRecord>(ids.Count);
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            // As GET and await: another key's execution is unknown to an invoker.
            if (await store.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } record && user.Sees(record))
            {
                current.Add(record);
            }
            else
            {
                unknown.Add(id);
            }
        }

        if (unknown.Count > 0)
        {
            throw new UnknownExecutionsException(unknown);
        }

        var stream = new ExecutionEventStream(store, watch, options, time, json.SerializerOptions);
        await stream.WriteAsync(context, current, LastEventId(context.Request), lifetime.ApplicationStopping).ConfigureAwait(false);
    }

    /// <summary><c>ids=a,b,c</c>, repeated <c>ids=</c>, or both; 400 naming the parameter for none, too many, an empty one or a repeat.</summary>
    private static string[] ReadIds(string[] values, int max)
    {
        var ids = values.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).ToArray();
        if (ids.Length == 0 || (ids.Length == 1 && ids[0].Length == 0))
        {
            throw ApiProblemException.BadField("ids", "is required: execution ids, comma-separated (ids=a,b) or repeated (ids=a&ids=b)");
        }

        if (ids.Length > max)
        {
            throw ApiProblemException.BadField("ids", $"must hold 1 to {max} ids; it holds {ids.Length}");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
        {
            if (ids[i].Length == 0)
            {
                throw ApiProblemException.BadField($"ids[{i}]", "must be a non-empty id");
            }

            if (!seen.TryAdd(ids[i], i))
            {
                throw ApiProblemException.BadField($"ids[{i}]", $"repeats ids[{seen[ids[i]]}] ('{ids[i]}')");
            }
        }

        return ids;
    }

    /// <summary>The <c>Last-Event-ID</c> a reconnecting client sends; numbering goes on after it (0 when absent or not ours).</summary>
    private static long LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id < long.MaxValue / 2
            ? id
            : 0;
}
