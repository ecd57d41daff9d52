namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>
/// Marks the endpoints the platform maps, so its middleware can run for them alone in an app
/// that has endpoints of its own.
/// </summary>
public sealed class PlatformEndpoint
{
    public static PlatformEndpoint Marker { get; } = new();

    private PlatformEndpoint()
    {
    }

    /// <summary>True when routing chose one of the platform's endpoints for this request.</summary>
    public static bool IsTarget(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<PlatformEndpoint>() is not null;
}
