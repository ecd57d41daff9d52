using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A real HTTP listener on 127.0.0.1 (a free port) that records what webhooks post to
/// <c>/hook/{name}</c> and answers each with the next status the test queued for that name (200 when none is left).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answers = new();

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
        app.MapPost("/hook/{name}", async (string name, HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            var status = _answers.TryGetValue(name, out var queue) && queue.TryDequeue(out var next) ? next : 200;
            Received.Enqueue(new ReceivedWebhook(
                name,
                request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(),
                request.ContentType,
                body,
                status));
            return Results.StatusCode(status);
        });
    }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public int Port { get; private set; }

    public string Url(string name) => $"http://127.0.0.1:{Port}/hook/{name}";

    public void Answer(string name, params int[] statuses) => _answers[name] = new ConcurrentQueue<int>(statuses);

    public IReadOnlyList<ReceivedWebhook> For(string name) => [.. Received.Where(r => r.Name == name)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new WebhookReceiver(builder.Build());
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedWebhook(string Name, string Id, string Timestamp, string Signature, string? ContentType, string Body, int AnsweredWith);
