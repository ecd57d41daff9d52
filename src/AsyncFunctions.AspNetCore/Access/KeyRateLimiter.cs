using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// One token bucket per API key (partitioned by the key's name), with the rate of its role.
/// Requests without a key are not counted here: they get 401 or reach only the health
/// endpoints. A refused request gets 429 with <c>Retry-After</c>.
/// </summary>
public static class KeyRateLimiter
{
    public const string OptionsName = "AsyncFunctions";

    public static IServiceCollection AddKeyRateLimits(this IServiceCollection services)
    {
        foreach (var role in Roles.All)
        {
            services.AddOptions<RateLimitOptions>(role).BindConfiguration($"{RateLimitOptions.Section}:{role}")
                .Validate(o => o.PermitPerSecond >= 0 && double.IsFinite(o.PermitPerSecond), $"{RateLimitOptions.Section}:{role}:PermitPerSecond must be 0 (unlimited) or more.")
                .Validate(o => o.Burst >= 0, $"{RateLimitOptions.Section}:{role}:Burst must be 0 or more.")
                .ValidateOnStart();
        }

        // The platform's limiter has options of its own name, so a host app's rate limiter keeps its global limiter.
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>(OptionsName).Configure<IOptionsMonitor<RateLimitOptions>>((o, limits) =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits));
        });
        return services;
    }

    /// <summary>The per-key limits, on the requests that reach this point of the pipeline.</summary>
    public static IApplicationBuilder UseKeyRateLimits(this IApplicationBuilder app) =>
        app.UseRateLimiter(app.ApplicationServices.GetRequiredService<IOptionsMonitor<RateLimiterOptions>>().Get(OptionsName));

    private static RateLimitPartition<string> Partition(HttpContext context, IOptionsMonitor<RateLimitOptions> limits)
    {
        if (context.User.Caller() is not { } caller)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var limit = limits.Get(caller.Role);
        if (limit.PermitPerSecond <= 0)
        {
            return RateLimitPartition.GetNoLimiter(caller.Key);
        }

        // Whole tokens per period: below one per second, one token per 1/rate seconds.
        var (tokens, period) = limit.PermitPerSecond >= 1
            ? ((int)Math.Round(limit.PermitPerSecond), TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromSeconds(1 / limit.PermitPerSecond));
        var burst = limit.Burst > 0 ? limit.Burst : Math.Max(1, (int)Math.Ceiling(limit.PermitPerSecond));
        return RateLimitPartition.GetTokenBucketLimiter(caller.Key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var role = context.User.Caller()?.Role ?? "";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = $"This key made more requests than its role ({role}) allows ({RateLimitOptions.Section}:{role}); retry after {seconds} s.",
        };
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false);
    }
}
