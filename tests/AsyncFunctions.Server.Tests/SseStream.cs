using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>One message of a <c>text/event-stream</c>: an event (its fields) or a comment.</summary>
public sealed record SseMessage(string? Event, string? Id, string? Data, string? Comment)
{
    public JsonObject Json => JsonNode.Parse(Data!)!.AsObject();

    public string Status => Json["status"]!.GetValue<string>();
}

/// <summary>
/// Reads a server-sent event stream message by message, comments included (the BCL's SseParser
/// skips them, and the keep-alive is a comment). Every read has a generous deadline.
/// </summary>
public sealed class SseStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body);
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream; asserts a 200 with <c>text/event-stream</c>.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            Assert.Fail($"Expected 200 for {path}, got {(int)response.StatusCode}: {text}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next message, or null when the server closed the stream.</summary>
    public async Task<SseMessage?> NextAsync()
    {
        using var deadline = Deadline();
        return await NextAsync(deadline.Token);
    }

    private async Task<SseMessage?> NextAsync(CancellationToken cancellationToken)
    {
        string? eventName = null, id = null, data = null, comment = null;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (eventName is not null || data is not null || comment is not null)
                {
                    return new SseMessage(eventName, id, data, comment);
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "": comment = value; break;
                case "event": eventName = value; break;
                case "id": id = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
            }
        }

        return null;
    }

    /// <summary>The next event, skipping comments (keep-alives do not extend the deadline).</summary>
    public async Task<SseMessage> NextEventAsync()
    {
        using var deadline = Deadline();
        while (await NextAsync(deadline.Token) is { } message)
        {
            if (message.Comment is null)
            {
                return message;
            }
        }

        Assert.Fail("The stream closed before the next event.");
        return null!;
    }

    /// <summary>Every message up to the server's close.</summary>
    public async Task<List<SseMessage>> ReadToEndAsync()
    {
        using var deadline = Deadline();
        var messages = new List<SseMessage>();
        while (await NextAsync(deadline.Token) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    private static CancellationTokenSource Deadline() => new(TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
