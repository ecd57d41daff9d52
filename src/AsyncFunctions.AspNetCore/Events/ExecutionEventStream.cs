using System.Globalization;
using System.Text;
using System.Text.Json;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using Microsoft.AspNetCore.Http.Features;

namespace AsyncFunctions.AspNetCore.Events;

/// <summary>
/// Writes one <c>text/event-stream</c> response: a <c>status</c> event with the record of each
/// execution at once, another each time one of them changes, and an <c>end</c> event when all are
/// terminal, when the stream's lifetime is over or when the server stops. Changes made in this
/// process arrive through the <see cref="ExecutionWatch"/>; a poll of the results table, one
/// query per interval for the unfinished ones, finds those made elsewhere. Written by hand rather
/// than with <c>TypedResults.ServerSentEvents</c>, which cannot send the keep-alive comments.
/// </summary>
internal sealed class ExecutionEventStream(
    IExecutionStore store,
    ExecutionWatch watch,
    EventStreamOptions options,
    TimeProvider time,
    JsonSerializerOptions json)
{
    /// <summary>Most ids read in one poll query (providers with parameter limits need it modest).</summary>
    private const int PollBatchSize = 500;

    private readonly Dictionary<string, Seen> _last = new(StringComparer.Ordinal);
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);
    private long _eventId;
    private DateTimeOffset _keepAliveAt;

    /// <summary>What a client has been told of one execution; another event is due when it differs.</summary>
    private readonly record struct Seen(ExecutionStatus Status, int Attempts, int Resumes)
    {
        public static Seen Of(ExecutionRecord record) => new(record.Status, record.Attempts, record.Resumes);
    }

    /// <param name="current">The record of each watched id, read after the watch opened, in request order.</param>
    /// <param name="lastEventId">The client's <c>Last-Event-ID</c>: numbering goes on after it.</param>
    public async Task WriteAsync(HttpContext context, IReadOnlyList<ExecutionRecord> current, long lastEventId, CancellationToken stopping)
    {
        _eventId = lastEventId;
        var response = context.Response;
        response.ContentType = OpenApi.ApiContract.EventStream;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var aborted = either.Token;
        try
        {
            await response.StartAsync(aborted).ConfigureAwait(false);
            foreach (var record in current)
            {
                _open.Add(record.Id);
                await EmitAsync(response, record, aborted).ConfigureAwait(false);
            }

            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            var reason = await FollowAsync(response, aborted).ConfigureAwait(false);
            await EndAsync(response, reason, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // The server stops: tell the client to come back, as at the end of the lifetime.
            await EndAsync(response, "shutdown", context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the caller's using closes the watch.
        }
    }

    /// <summary>Follows the open executions until all are terminal ("finished") or the lifetime is over ("lifetime").</summary>
    private async Task<string> FollowAsync(HttpResponse response, CancellationToken aborted)
    {
        var now = time.GetUtcNow();
        var deadline = now.AddSeconds(options.MaxEventStreamSeconds);
        var pollEvery = TimeSpan.FromSeconds(options.EventPollSeconds);
        var pollAt = now + pollEvery;
        while (_open.Count > 0)
        {
            now = time.GetUtcNow();
            if (now >= deadline)
            {
                return "lifetime";
            }

            var wakeAt = Min(deadline, Min(pollAt, _keepAliveAt));
            var changed = await watch.WaitAsync(wakeAt - now, time, aborted).ConfigureAwait(false);
            var wrote = false;
            foreach (var id in changed.Where(_open.Contains).ToArray())
            {
                wrote |= await RereadAsync(response, id, aborted).ConfigureAwait(false);
            }

            now = time.GetUtcNow();
            if (now >= pollAt && _open.Count > 0)
            {
                wrote |= await PollAsync(response, aborted).ConfigureAwait(false);
                pollAt = time.GetUtcNow() + pollEvery;
            }

            if (!wrote && time.GetUtcNow() >= _keepAliveAt && _open.Count > 0)
            {
                await WriteAsync(response, ": keep-alive\n\n", aborted).ConfigureAwait(false);
                wrote = true;
            }

            if (wrote)
            {
                await response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }

        return "finished";
    }

    /// <summary>One query for the status of every open execution; the full record only of those whose status moved.</summary>
    private async Task<bool> PollAsync(HttpResponse response, CancellationToken aborted)
    {
        var wrote = false;
        // A copy: an execution found terminal leaves the open set during the loop.
        foreach (var chunk in _open.ToArray().Chunk(PollBatchSize))
        {
            var results = await store.GetResultsAsync(chunk, aborted).ConfigureAwait(false);
            foreach (var id in chunk)
            {
                if (!results.TryGetValue(id, out var result) || result.Status != _last[id].Status)
                {
                    wrote |= await RereadAsync(response, id, aborted).ConfigureAwait(false);
                }
            }
        }

        return wrote;
    }

    private async Task<bool> RereadAsync(HttpResponse response, string id, CancellationToken aborted)
    {
        if (await store.GetAsync(id, aborted).ConfigureAwait(false) is not { } record)
        {
            // Deleted meanwhile (retention): nothing more will happen to it.
            _open.Remove(id);
            return false;
        }

        if (Seen.Of(record) == _last[id])
        {
            return false;
        }

        await EmitAsync(response, record, aborted).ConfigureAwait(false);
        return true;
    }

    private async Task EmitAsync(HttpResponse response, ExecutionRecord record, CancellationToken aborted)
    {
        _last[record.Id] = Seen.Of(record);
        if (record.Status.IsTerminal())
        {
            _open.Remove(record.Id);
        }

        // Serialized JSON holds no line breaks (they are escaped in strings): one data line.
        var data = JsonSerializer.Serialize(record, json);
        _eventId++;
        await WriteAsync(response, string.Create(CultureInfo.InvariantCulture, $"event: status\nid: {_eventId}\ndata: {data}\n\n"), aborted).ConfigureAwait(false);
    }

    private async Task EndAsync(HttpResponse response, string reason, CancellationToken aborted)
    {
        // No id: a client that reconnects after it sends the id of the last status it got.
        await WriteAsync(response, $"event: end\ndata: {{\"reason\":\"{reason}\"}}\n\n", aborted).ConfigureAwait(false);
        await response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }

    private async Task WriteAsync(HttpResponse response, string text, CancellationToken aborted)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), aborted).ConfigureAwait(false);
        _keepAliveAt = time.GetUtcNow().AddSeconds(options.EventKeepAliveSeconds);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
