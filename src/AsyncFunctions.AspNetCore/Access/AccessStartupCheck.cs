using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// Says at start-up how the server is protected: warns when it runs without keys (Development,
/// anonymous admin for loopback requests) or with plain <c>Key</c>s outside Development, and
/// refuses to run without keys on an address other machines can reach.
/// </summary>
internal sealed partial class AccessStartupCheck(
    ApiKeyRing keys,
    IOptions<ApiKeyOptions> options,
    IHostEnvironment environment,
    IServer server,
    ILogger<AccessStartupCheck> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (keys.AllowsAnonymous)
        {
            LogAnonymous(logger, ApiKeyOptions.Section);
        }
        else if (!environment.IsDevelopment())
        {
            foreach (var entry in options.Value.Keys.Where(k => !string.IsNullOrEmpty(k.Key)))
            {
                LogPlainKey(logger, entry.Name ?? "", ApiKeyOptions.Section);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The addresses are known once the server listens.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!keys.AllowsAnonymous)
        {
            return Task.CompletedTask;
        }

        var open = (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Where(a => !IsLoopback(a)).ToList();
        return open.Count == 0
            ? Task.CompletedTask
            : throw new InvalidOperationException(
                $"The server listens on {string.Join(", ", open)} without API keys. Without keys it runs only in Development on a loopback address (localhost, 127.0.0.1, [::1]); add keys to {ApiKeyOptions.Section}.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key is configured ({Section}): in Development the server answers loopback requests as an anonymous admin. Add keys before other machines reach it.")]
    private static partial void LogAnonymous(ILogger logger, string section);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The API key '{Name}' is configured in plain text (Key); outside Development configure its KeyHash (sha256:<hex>) instead ({Section}).")]
    private static partial void LogPlainKey(ILogger logger, string name, string section);
}
