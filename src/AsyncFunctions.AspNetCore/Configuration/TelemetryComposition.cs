using AsyncFunctions.AspNetCore.Access;
using AsyncFunctions.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>
/// OpenTelemetry: the platform's own spans and metrics (<see cref="ExecutionTelemetry"/>) plus
/// ASP.NET Core's and HttpClient's, exported over OTLP when an endpoint is set, and metrics
/// scraped by Prometheus at <see cref="TelemetryOptions.PrometheusPath"/>.
/// </summary>
public static class TelemetryComposition
{
    public static IServiceCollection AddServerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        Uri? otlp = null;
        if (!string.IsNullOrWhiteSpace(settings.OtlpEndpoint) && !Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out otlp))
        {
            throw new InvalidOperationException($"{TelemetryOptions.Section}:OtlpEndpoint is '{settings.OtlpEndpoint}', not an absolute URI such as http://collector:4317.");
        }

        if (!string.IsNullOrEmpty(settings.PrometheusPath) && !settings.PrometheusPath.StartsWith('/'))
        {
            throw new InvalidOperationException($"{TelemetryOptions.Section}:PrometheusPath must start with '/' (or be empty to turn the endpoint off).");
        }

        services.Configure<TelemetryOptions>(configuration.GetSection(TelemetryOptions.Section));
        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService(settings.ServiceName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(ExecutionTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (!string.IsNullOrEmpty(settings.PrometheusPath))
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp is not null)
            {
                metrics.AddOtlpExporter(o => o.Endpoint = otlp);
            }
        });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(ExecutionTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = otlp));
        }

        return services;
    }

    /// <summary>The Prometheus scrape endpoint, for admin and viewer keys: a scraper gets 401 or 403, never the sign-in page.</summary>
    public static IEndpointRouteBuilder MapServerTelemetry(this IEndpointRouteBuilder app)
    {
        var path = app.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.PrometheusPath ?? new TelemetryOptions().PrometheusPath;
        if (!string.IsNullOrEmpty(path))
        {
            app.MapPrometheusScrapingEndpoint(path).RequireAuthorization(policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(Roles.Admin, Roles.Viewer));
        }

        return app;
    }
}
