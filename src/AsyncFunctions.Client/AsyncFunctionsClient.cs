using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Contracts;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Client;

/// <summary>
/// The AsyncFunctions REST API from .NET: one method per operation of the OpenAPI document
/// (<see cref="ApiOperationAttribute"/> names it). A refused request throws
/// <see cref="AsyncFunctionsProblemException"/> with the problem document's status, code and errors.
/// Register it with <c>services.AddAsyncFunctionsClient(...)</c>, or give it an <see cref="HttpClient"/>
/// whose <see cref="HttpClient.BaseAddress"/> is the server (and that sends the API key).
/// </summary>
public sealed class AsyncFunctionsClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = ApiJson.Options;

    // ---- Functions

    [ApiOperation("listFunctions")]
    public async Task<IReadOnlyList<FunctionView>> ListFunctionsAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<List<FunctionView>>(HttpMethod.Get, "api/functions", null, cancellationToken).ConfigureAwait(false);

    /// <summary>A function's declared inputs, retries and timeout; for a function stack, also its document.</summary>
    [ApiOperation("getFunction")]
    public Task<FunctionView> GetFunctionAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<FunctionView>(HttpMethod.Get, $"api/functions/{Escape(name)}", null, cancellationToken);

    /// <summary>Saves a function stack document as the next version of <paramref name="name"/> (admin key).</summary>
    [ApiOperation("saveFunction")]
    public Task<FunctionView> SaveFunctionAsync(string name, FunctionDocument document, CancellationToken cancellationToken = default) =>
        SendAsync<FunctionView>(HttpMethod.Put, $"api/functions/{Escape(name)}", JsonContent.Create(document, options: Json), cancellationToken);

    /// <summary>Deletes every version of a function stack (admin key).</summary>
    [ApiOperation("deleteFunction")]
    public async Task DeleteFunctionAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"api/functions/{Escape(name)}", null, null, cancellationToken).ConfigureAwait(false);
    }

    // ---- Starting

    /// <summary>
    /// Queues an execution of <paramref name="function"/> with <paramref name="input"/> (any value that
    /// serializes to a JSON object: an anonymous object, a record, a <see cref="JsonObject"/>), now or
    /// later, and answers its record; read, await or watch it by its id.
    /// </summary>
    [ApiOperation("startExecution")]
    public Task<ExecutionRecord> StartAsync(string function, object? input = null, StartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new StartExecutionBody
        {
            Input = InputObject(input),
            RunAt = options?.RunAt,
            DelaySeconds = options?.Delay?.TotalSeconds,
            CallbackUrl = options?.CallbackUrl,
            Queue = options?.Queue,
        };
        return SendAsync<ExecutionRecord>(
            HttpMethod.Post,
            $"api/functions/{Escape(function)}/executions",
            JsonContent.Create(body, options: WithoutNulls),
            cancellationToken,
            options?.IdempotencyKey is { } key ? r => r.Headers.Add("Idempotency-Key", key) : null);
    }

    /// <summary>Runs an execution inside the request and answers its output; a failed run throws (422, with <see cref="AsyncFunctionsProblemException.Code"/>).</summary>
    [ApiOperation("runFunction")]
    public Task<SyncExecutionResult> RunAsync(string function, object? input = null, CancellationToken cancellationToken = default) =>
        SendAsync<SyncExecutionResult>(HttpMethod.Post, $"api/functions/{Escape(function)}/run", JsonContent.Create(new RunFunctionBody { Input = InputObject(input) }, options: WithoutNulls), cancellationToken);

    // ---- Executions

    /// <summary>The execution's record; with <paramref name="waitSeconds"/>, waits up to that long for it to finish first (long polling).</summary>
    [ApiOperation("getExecution")]
    public Task<ExecutionRecord> GetAsync(string id, int waitSeconds = 0, CancellationToken cancellationToken = default) =>
        SendAsync<ExecutionRecord>(HttpMethod.Get, $"api/executions/{Escape(id)}{(waitSeconds > 0 ? $"?waitSeconds={waitSeconds.ToString(CultureInfo.InvariantCulture)}" : "")}", null, cancellationToken);

    /// <summary>One page of executions, newest first; pass its <see cref="ExecutionList.NextCursor"/> as <see cref="ExecutionFilter.Cursor"/> for the next.</summary>
    [ApiOperation("listExecutions")]
    public Task<ExecutionList> ListAsync(ExecutionFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("function", filter?.Function);
        Add("status", filter?.Status?.ToString());
        Add("parentId", filter?.ParentId);
        Add("errorCode", filter?.ErrorCode);
        Add("schedule", filter?.Schedule);
        Add("createdAfter", filter?.CreatedAfter?.ToString("O", CultureInfo.InvariantCulture));
        Add("createdBefore", filter?.CreatedBefore?.ToString("O", CultureInfo.InvariantCulture));
        Add("limit", filter?.Limit?.ToString(CultureInfo.InvariantCulture));
        Add("cursor", filter?.Cursor);
        return SendAsync<ExecutionList>(HttpMethod.Get, "api/executions" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, cancellationToken);
    }

    /// <summary>Waits until every execution named is finished or <paramref name="timeout"/> passes (30 s when null); <see cref="AwaitResult.Completed"/> says which.</summary>
    [ApiOperation("awaitExecutions")]
    public Task<AwaitResult> AwaitAsync(IEnumerable<string> ids, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        SendAsync<AwaitResult>(HttpMethod.Post, "api/executions/await", JsonContent.Create(new AwaitBody { Ids = [.. ids], TimeoutSeconds = timeout?.TotalSeconds }, options: WithoutNulls), cancellationToken);

    /// <summary>Waits until the execution is finished or <paramref name="timeout"/> passes (30 s when null), and answers its result.</summary>
    public async Task<ExecutionResult> AwaitAsync(string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await AwaitAsync([id], timeout, cancellationToken).ConfigureAwait(false)).Results[0];

    /// <summary>Cancels an unfinished execution; with <paramref name="children"/>, also every unfinished execution below it.</summary>
    [ApiOperation("cancelExecution")]
    public Task<ExecutionRecord> CancelAsync(string id, bool children = false, CancellationToken cancellationToken = default) =>
        SendAsync<ExecutionRecord>(HttpMethod.Post, $"api/executions/{Escape(id)}/cancel{(children ? "?children=true" : "")}", null, cancellationToken);

    /// <summary>Queues a Failed or Cancelled execution again; when its job is gone, answers the new execution that retries it.</summary>
    [ApiOperation("retryExecution")]
    public Task<ExecutionRecord> RetryAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<ExecutionRecord>(HttpMethod.Post, $"api/executions/{Escape(id)}/retry", null, cancellationToken);

    /// <summary>
    /// The execution's record at once, then again at each status change, until it is finished (the
    /// server's event stream; reconnected where the server ends it early).
    /// </summary>
    [ApiOperation("StreamExecutionEvents")]
    public IAsyncEnumerable<ExecutionRecord> WatchAsync(string id, CancellationToken cancellationToken = default) =>
        StreamAsync($"api/executions/{Escape(id)}/events", cancellationToken);

    /// <summary>Each execution's record at once, then again at each status change, until all are finished.</summary>
    [ApiOperation("StreamExecutionsEvents")]
    public IAsyncEnumerable<ExecutionRecord> WatchAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default) =>
        StreamAsync($"api/executions/events?ids={string.Join(',', ids.Select(Uri.EscapeDataString))}", cancellationToken);

    // ---- Schedules

    /// <summary>Every schedule the key may see, by name, with its next and latest occurrence.</summary>
    [ApiOperation("listSchedules")]
    public async Task<IReadOnlyList<ScheduleView>> ListSchedulesAsync(CancellationToken cancellationToken = default) =>
        await SendAsync<List<ScheduleView>>(HttpMethod.Get, "api/schedules", null, cancellationToken).ConfigureAwait(false);

    [ApiOperation("getSchedule")]
    public Task<ScheduleView> GetScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleView>(HttpMethod.Get, $"api/schedules/{Escape(name)}", null, cancellationToken);

    /// <summary>Creates or replaces the schedule <paramref name="name"/>; a bad cron, time zone, function or input throws with the field named.</summary>
    [ApiOperation("saveSchedule")]
    public Task<ScheduleView> SaveScheduleAsync(string name, ScheduleBody schedule, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleView>(HttpMethod.Put, $"api/schedules/{Escape(name)}", JsonContent.Create(schedule, options: WithoutNulls), cancellationToken);

    [ApiOperation("deleteSchedule")]
    public async Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"api/schedules/{Escape(name)}", null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts one occurrence now and answers its execution's record.</summary>
    [ApiOperation("triggerSchedule")]
    public Task<ExecutionRecord> TriggerScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ExecutionRecord>(HttpMethod.Post, $"api/schedules/{Escape(name)}/trigger", null, cancellationToken);

    [ApiOperation("pauseSchedule")]
    public Task<ScheduleView> PauseScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleView>(HttpMethod.Post, $"api/schedules/{Escape(name)}/pause", null, cancellationToken);

    [ApiOperation("resumeSchedule")]
    public Task<ScheduleView> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<ScheduleView>(HttpMethod.Post, $"api/schedules/{Escape(name)}/resume", null, cancellationToken);

    // ---- Health

    /// <summary>True while the server answers (liveness).</summary>
    [ApiOperation("getLiveness")]
    public Task<bool> IsLiveAsync(CancellationToken cancellationToken = default) => HealthyAsync("health/live", cancellationToken);

    /// <summary>True when the server's results store answers and its schema is applied (readiness).</summary>
    [ApiOperation("getReadiness")]
    [ApiOperation("getHealth")]
    public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => HealthyAsync("health/ready", cancellationToken);

    private static readonly JsonSerializerOptions WithoutNulls = new(Json) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private async IAsyncEnumerable<ExecutionRecord> StreamAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, r =>
            {
                if (lastEventId is not null)
                {
                    r.Headers.Add("Last-Event-ID", lastEventId);
                }
            }, cancellationToken, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                string? endReason = null;
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (item.EventType == "end")
                    {
                        endReason = JsonNode.Parse(item.Data)?["reason"]?.GetValue<string>() ?? "finished";
                        break;
                    }

                    if (item.EventType == "status" && JsonSerializer.Deserialize<ExecutionRecord>(item.Data, Json) is { } record)
                    {
                        lastEventId = string.IsNullOrEmpty(item.EventId) ? lastEventId : item.EventId;
                        yield return record;
                    }
                }

                // The server ends a stream at its lifetime; anything else (all finished, shutting down) ends the watch.
                if (endReason != "lifetime")
                {
                    yield break;
                }
            }
        }
    }

    private async Task<bool> HealthyAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendAsync(method, path, content, configure, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new AsyncFunctionsProblemException($"The server answered {(int)response.StatusCode} to {method} /{path} without a body.");
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        Action<HttpRequestMessage>? configure,
        CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        configure?.Invoke(request);
        var response = await http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<AsyncFunctionsProblemException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonObject problem;
        try
        {
            problem = JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            problem = new JsonObject { ["title"] = response.ReasonPhrase, ["detail"] = text };
        }

        problem["status"] ??= (int)response.StatusCode;
        return new AsyncFunctionsProblemException(response.StatusCode, problem);
    }

    private static JsonObject? InputObject(object? input) => input switch
    {
        null => null,
        JsonObject json => json,
        _ => JsonSerializer.SerializeToNode(input, input.GetType(), Json) as JsonObject
            ?? throw new ArgumentException("The input must serialize to a JSON object.", nameof(input)),
    };

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
