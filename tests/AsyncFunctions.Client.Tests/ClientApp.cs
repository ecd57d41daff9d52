using AsyncFunctions.Client;
using AsyncFunctions.Server.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Client.Tests;

/// <summary>
/// A real server in memory (<see cref="TestApp"/>: Hangfire workers, SQLite file) and clients for it
/// registered the way an application registers them: <c>services.AddAsyncFunctionsClient(...)</c>,
/// with the test server as the handler under the client's own handlers.
/// </summary>
public sealed class ClientApp : IDisposable
{
    public TestApp App { get; } = new();

    /// <summary>A client registered with <paramref name="key"/> (the admin key by default).</summary>
    public AsyncFunctionsClient Client(string? key = TestKeys.Admin) => Clients(App, key);

    public static AsyncFunctionsClient Clients(TestApp app, string? key, int maxRateLimitRetries = 3)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = new ServiceCollection();
        services.AddAsyncFunctionsClient(o =>
        {
            o.BaseAddress = app.Server.BaseAddress;
            o.ApiKey = key;
            o.MaxRateLimitRetries = maxRateLimitRetries;
        }).ConfigurePrimaryHttpMessageHandler(() => app.Server.CreateHandler());
        return services.BuildServiceProvider().GetRequiredService<AsyncFunctionsClient>();
    }

    public void Dispose() => App.Dispose();
}
