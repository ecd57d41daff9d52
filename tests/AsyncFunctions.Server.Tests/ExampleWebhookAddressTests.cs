using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Server.Examples;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Server.Tests;

/// <summary>The example webhook follows the address the server is started on.</summary>
public sealed class ExampleWebhookAddressTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();

    [Theory]
    [InlineData("urls", "http://127.0.0.1:6123", "http://127.0.0.1:6123/examples/webhook", "127.0.0.1:6123")]
    [InlineData("urls", "https://localhost:7001;http://localhost:6001", "http://localhost:6001/examples/webhook", "localhost:6001")]
    [InlineData("urls", "http://*:6002", "http://localhost:6002/examples/webhook", "localhost:6002")]
    [InlineData("urls", "http://0.0.0.0:6003", "http://localhost:6003/examples/webhook", "localhost:6003")]
    [InlineData("urls", "http://[::1]:6004", "http://[::1]:6004/examples/webhook", "[::1]:6004")]
    [InlineData("http_ports", "8080", "http://localhost:8080/examples/webhook", "localhost:8080")]
    [InlineData("nothing", "", "http://localhost:5000/examples/webhook", "localhost:5000")]
    public void The_webhook_and_its_allow_list_entry_follow_the_servers_address(string key, string value, string webhook, string allowed)
    {
        var options = new FunctionStacksOptions();

        ExampleWebhookAddress.Offer(options, Settings((key, value)));

        Assert.Equal(webhook, options.Env[ExampleWebhookAddress.EnvName]);
        Assert.Equal(allowed, Assert.Single(options.AllowedHosts));
    }

    [Fact]
    public void A_configured_webhook_stands_and_opens_nothing()
    {
        var options = new FunctionStacksOptions();
        options.Env[ExampleWebhookAddress.EnvName] = "https://hooks.example.com/notify";

        ExampleWebhookAddress.Offer(options, Settings(("urls", "http://localhost:6005")));

        Assert.Equal("https://hooks.example.com/notify", options.Env[ExampleWebhookAddress.EnvName]);
        Assert.Empty(options.AllowedHosts);
    }

    [Fact]
    public void A_server_listening_elsewhere_than_the_offered_webhook_warns_at_start()
    {
        var logs = new CapturedLogs();
        var configured = FreePort();
        var actual = FreePort();
        while (actual == configured)
        {
            actual = FreePort();
        }

        // The urls setting says one port; Kestrel's own endpoint settings, which win, another.
        using var app = new TestApp(workers: 0, settings: new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{configured}" });
        using var logged = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        logged.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, actual));
        logged.StartServer();

        Assert.Contains(logs.Warnings, w => w.Contains($"http://127.0.0.1:{configured}/examples/webhook", StringComparison.Ordinal)
            && w.Contains($":{actual}", StringComparison.Ordinal) && w.Contains("AsyncFunctions:Stacks:Env:NOTIFY_WEBHOOK_URL", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
