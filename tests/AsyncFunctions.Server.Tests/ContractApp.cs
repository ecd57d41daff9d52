using System.Collections.Concurrent;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A server for the contract tests whose clients record every answer. Viewer keys may make one
/// request per 100 s, so the second viewer request of a test is the API's 429.
/// </summary>
public sealed class ContractApp : IDisposable
{
    public TestApp App { get; } = new(settings: new Dictionary<string, string?>
    {
        ["AsyncFunctions:RateLimits:viewer:PermitPerSecond"] = "0.01",
        ["AsyncFunctions:RateLimits:viewer:Burst"] = "1",
    });

    public ConcurrentQueue<RecordedExchange> Exchanges { get; } = new();

    /// <summary>A recording client that sends <paramref name="key"/> (null: none).</summary>
    public HttpClient ClientAs(string? key) => App.CreateDefaultClient(new ExchangeRecorder(Exchanges)).As(key);

    public void Dispose() => App.Dispose();
}
