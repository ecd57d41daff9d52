using AsyncFunctions.Server.Tests;

namespace AsyncFunctions.Client.Tests;

/// <summary>A 429 is sent again after its Retry-After by the registered client; without retries it surfaces as the problem.</summary>
public sealed class RateLimitRetryTests : IDisposable
{
    // One request per second for viewers, no burst beyond it: the second request at once is a 429 with Retry-After.
    private readonly TestApp _app = new(workers: 0, settings: new Dictionary<string, string?>
    {
        ["AsyncFunctions:RateLimits:viewer:PermitPerSecond"] = "1",
        ["AsyncFunctions:RateLimits:viewer:Burst"] = "1",
    });

    [Fact]
    public async Task A_rate_limited_request_is_sent_again_after_retry_after()
    {
        var client = ClientApp.Clients(_app, TestKeys.Viewer);

        for (var i = 0; i < 3; i++)
        {
            Assert.NotEmpty(await client.ListFunctionsAsync());
        }
    }

    [Fact]
    public async Task Without_retries_the_429_is_a_problem()
    {
        var client = ClientApp.Clients(_app, TestKeys.Viewer, maxRateLimitRetries: 0);

        var problem = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                await client.ListFunctionsAsync();
            }
        });

        Assert.Equal(429, problem.Status);
    }

    public void Dispose() => _app.Dispose();
}
