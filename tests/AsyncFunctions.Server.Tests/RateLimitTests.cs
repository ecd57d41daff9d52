using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>Each key has its own bucket with its role's rate; a key over it gets 429 with Retry-After, other keys do not.</summary>
public sealed class RateLimitTests : IDisposable
{
    // One request per 1,000 s after a burst of two: the third request of a key is always over.
    private readonly TestApp _app = new(workers: 0, settings: new Dictionary<string, string?>
    {
        ["AsyncFunctions:RateLimits:invoker:PermitPerSecond"] = "0.001",
        ["AsyncFunctions:RateLimits:invoker:Burst"] = "2",
    });

    [Fact]
    public async Task A_key_over_its_roles_limit_gets_429_while_other_keys_are_unaffected()
    {
        using var one = _app.ClientAs(TestKeys.Invoker);
        using var two = _app.ClientAs(TestKeys.OtherInvoker);
        using var admin = _app.ClientAs(TestKeys.Admin);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(one));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(one));
        using var refused = await one.GetAsync(new Uri("/api/functions", UriKind.Relative));
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, problem["status"]!.GetValue<int>());
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {refused.Headers.RetryAfter}");

        // Another key of the same role has its own bucket; admin has no limit.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(two));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin));
        }

        // Health endpoints are never limited.
        using var health = await one.GetAsync(new Uri("/health/live", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public void A_negative_rate_stops_the_start_naming_the_key()
    {
        using var app = new TestApp(workers: 0, settings: new Dictionary<string, string?> { ["AsyncFunctions:RateLimits:viewer:PermitPerSecond"] = "-1" });

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("AsyncFunctions:RateLimits:viewer:PermitPerSecond", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/api/functions", UriKind.Relative));
        return response.StatusCode;
    }

    public void Dispose() => _app.Dispose();
}
