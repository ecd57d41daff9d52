using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using AsyncFunctions.Telemetry;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// Limits failed authentications per client address: each wrong key takes a token from the
/// address's bucket, and while the bucket is empty every key attempt from the address (right or
/// wrong, so the answer tells a guesser nothing) gets 429 with <c>Retry-After</c> before the key
/// is looked at. IPv6 addresses count by their /64 network, which one client usually holds whole.
/// Failures are counted in the <c>asyncfunctions.auth.failures</c> metric, not logged one by one.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private static readonly Counter<long> Failures = ExecutionTelemetry.Meter.CreateCounter<long>(
        "asyncfunctions.auth.failures", "{attempt}", "Failed authentications (kind: key or sign_in; outcome: rejected, or throttled for attempts refused with 429).");

    private readonly ConcurrentDictionary<string, (PartitionedRateLimiter<string> Limiter, FailedAuthenticationOptions Options)> _limiters = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<FailedAuthenticationOptions> _options;

    public FailedAuthenticationLimiter(IOptionsMonitor<FailedAuthenticationOptions> options)
    {
        _options = options;
    }

    /// <summary>Whether the address may try a key now; when not, the seconds after which it may.</summary>
    public bool IsThrottled(string kind, HttpContext context, out int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (limiter, options) = LimiterFor(kind);
        retryAfterSeconds = 0;
        if (options.PermitPerSecond <= 0 || limiter.GetStatistics(Partition(context))?.CurrentAvailablePermits > 0)
        {
            return false;
        }

        retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(1 / options.PermitPerSecond));
        Failures.Add(1, new KeyValuePair<string, object?>("kind", Tag(kind)), new KeyValuePair<string, object?>("outcome", "throttled"));
        return true;
    }

    /// <summary>Counts a wrong key against the address.</summary>
    public void RecordFailure(string kind, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Failures.Add(1, new KeyValuePair<string, object?>("kind", Tag(kind)), new KeyValuePair<string, object?>("outcome", "rejected"));
        var (limiter, options) = LimiterFor(kind);
        if (options.PermitPerSecond > 0)
        {
            limiter.AttemptAcquire(Partition(context)).Dispose();
        }
    }

    /// <summary>Answers 429 with <c>Retry-After</c> and a problem document.</summary>
    public static async Task WriteThrottledAsync(HttpContext context, string kind, int retryAfterSeconds, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many failed authentications",
            Detail = $"This address sent too many wrong {what}; retry after {retryAfterSeconds} s ({RateLimitOptions.Section}:{kind}).",
        };
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var (limiter, _) in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private (PartitionedRateLimiter<string> Limiter, FailedAuthenticationOptions Options) LimiterFor(string kind) =>
        _limiters.GetOrAdd(kind, k =>
        {
            var options = _options.Get(k);
            var (tokens, period) = options.PermitPerSecond >= 1
                ? ((int)Math.Round(options.PermitPerSecond), TimeSpan.FromSeconds(1))
                : (1, TimeSpan.FromSeconds(options.PermitPerSecond > 0 ? 1 / options.PermitPerSecond : 1));
            var limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, options.Burst),
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            return (limiter, options);
        });

    private static string Partition(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } address)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    private static string Tag(string kind) => kind == FailedAuthenticationOptions.SignIns ? "sign_in" : "key";
}
