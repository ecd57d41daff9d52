namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>Where traces and metrics go; bound from <c>AsyncFunctions:Telemetry</c>.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "AsyncFunctions:Telemetry";

    /// <summary>
    /// The OTLP endpoint that receives traces and metrics (<c>http://collector:4317</c>); empty sends
    /// nothing. The standard <c>OTEL_EXPORTER_OTLP_*</c> variables also apply when it is set.
    /// Tracing is on only with an endpoint, so spans cost nothing when nobody collects them.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Path of the Prometheus scrape endpoint (admin or viewer key); empty turns it off.</summary>
    public string? PrometheusPath { get; set; } = "/metrics";

    /// <summary>The service name traces and metrics carry.</summary>
    public string ServiceName { get; set; } = "asyncfunctions";
}
