using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>
/// <c>/health/live</c>: the process answers (no check runs). <c>/health/ready</c>: the results
/// store answers and its schema is applied; 503 otherwise. <c>/health</c> is the same as ready.
/// None needs a key or counts against a rate limit.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) };
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", ready).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health", ready).AllowAnonymous().DisableRateLimiting();
        return app;
    }
}
