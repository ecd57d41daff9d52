using AsyncFunctions.FunctionStacks.Hosting;

namespace AsyncFunctions.Server.Examples;

/// <summary>
/// Where stacks reach the example webhook: on this server, at the address it is started on
/// (<c>--urls</c>, <c>ASPNETCORE_URLS</c> or the launch profile's, else <c>ASPNETCORE_HTTP_PORTS</c>),
/// so the notification example works on whatever port the server runs. Decided from
/// configuration before anything runs, so every stack sees one value.
/// </summary>
public static class ExampleWebhookAddress
{
    /// <summary>The <c>$env</c> name the notification example posts to.</summary>
    public const string EnvName = "NOTIFY_WEBHOOK_URL";

    /// <summary>Kestrel's address when none is configured.</summary>
    private const string KestrelDefault = "http://localhost:5000";

    /// <summary>
    /// Offers the webhook as <c>$env.NOTIFY_WEBHOOK_URL</c> and allows this server's host and port
    /// (that port only) for request steps, unless an administrator configured
    /// <c>AsyncFunctions:Stacks:Env:NOTIFY_WEBHOOK_URL</c>, which then stands as it is.
    /// </summary>
    public static void Offer(FunctionStacksOptions options, IConfiguration configuration)
    {
        if (options.Env.ContainsKey(EnvName))
        {
            return;
        }

        var server = ServerAddress(configuration);
        options.Env[EnvName] = new Uri(server, ExampleWebhook.Path).ToString();
        options.AllowedHosts.Add($"{server.Host}:{server.Port}");
    }

    /// <summary>The first plain-HTTP address the server is configured to listen on; a wildcard host is reached as localhost.</summary>
    public static Uri ServerAddress(IConfiguration configuration)
    {
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Count == 0)
        {
            urls = [.. Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://localhost:{port}")];
        }

        var url = urls.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? urls.FirstOrDefault() ?? KestrelDefault;
        var uri = new UriBuilder(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return new Uri(uri.Uri.GetLeftPart(UriPartial.Authority));
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
