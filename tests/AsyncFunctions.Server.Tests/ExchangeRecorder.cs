using System.Collections.Concurrent;

namespace AsyncFunctions.Server.Tests;

/// <summary>Keeps every answer its client receives, for the contract checks; the caller still reads the body.</summary>
public sealed class ExchangeRecorder(ConcurrentQueue<RecordedExchange> exchanges) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToList();
        exchanges.Enqueue(new RecordedExchange(
            request.Method.Method,
            request.RequestUri!.AbsolutePath,
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            body,
            headers));
        return response;
    }
}
