using AsyncFunctions.FunctionStacks.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Server.Examples;

/// <summary>
/// Warns once the server listens when the example webhook it offered stacks is on a port it does
/// not listen on: the address came from settings the server did not use (<c>Kestrel:Endpoints</c>,
/// port 0), and the notification example would fail.
/// </summary>
internal sealed partial class ExampleWebhookCheck(
    IOptions<FunctionStacksOptions> options,
    IConfiguration configuration,
    IServer server,
    ILogger<ExampleWebhookCheck> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var offered = new Uri(ExampleWebhookAddress.ServerAddress(configuration), ExampleWebhook.Path).ToString();
        if (listening.Count == 0
            || !options.Value.Env.TryGetValue(ExampleWebhookAddress.EnvName, out var webhook)
            || webhook != offered)
        {
            return Task.CompletedTask;
        }

        var port = new Uri(webhook).Port;
        if (!listening.Any(address => Uri.TryCreate(address.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Port == port))
        {
            LogUnreachable(logger, webhook, string.Join(", ", listening), $"{FunctionStacksOptions.Section}:Env:{ExampleWebhookAddress.EnvName}");
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The example webhook is offered to stacks at {Webhook}, but the server listens on {Addresses}: the notification example will fail. Set {Key} to the webhook's address.")]
    private static partial void LogUnreachable(ILogger logger, string webhook, string addresses, string key);
}
