using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace AsyncFunctions.Client;

/// <summary><c>services.AddAsyncFunctionsClient(o => ...)</c>: <see cref="AsyncFunctionsClient"/> as a typed <see cref="HttpClient"/>.</summary>
public static class AsyncFunctionsClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AsyncFunctionsClient"/> with its own <see cref="HttpClient"/>: the server's
    /// address and API key from <paramref name="configure"/>, and a 429 answer sent again after its
    /// <c>Retry-After</c> (Microsoft.Extensions.Http.Resilience). Answers the client's builder, for more handlers.
    /// </summary>
    public static IHttpClientBuilder AddAsyncFunctionsClient(this IServiceCollection services, Action<AsyncFunctionsClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AsyncFunctionsClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseAddress is { IsAbsoluteUri: true }, "AsyncFunctionsClientOptions.BaseAddress must be an absolute URI.")
            .Validate(o => o.MaxRateLimitRetries >= 0, "AsyncFunctionsClientOptions.MaxRateLimitRetries must not be negative.");
        var builder = services.AddHttpClient<AsyncFunctionsClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<AsyncFunctionsClientOptions>>().Value;
            var address = options.BaseAddress!.ToString();
            http.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            // Long polls, awaits and event streams last as long as asked: callers bound them with their cancellation token.
            http.Timeout = Timeout.InfiniteTimeSpan;
            if (options.ApiKey is { } key)
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        });
        builder.AddResilienceHandler("asyncfunctions", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<AsyncFunctionsClientOptions>>().Value;
            if (options.MaxRateLimitRetries > 0)
            {
                // Only 429: the server refused the request before doing anything, so sending it again
                // is safe for every method. Other failures are the caller's to judge (a start is not idempotent without a key).
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = options.MaxRateLimitRetries,
                    ShouldRetryAfterHeader = true,
                    Delay = TimeSpan.FromSeconds(1),
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                });
            }
        });
        return builder;
    }
}
