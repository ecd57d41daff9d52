namespace AsyncFunctions.AspNetCore.Http;

/// <summary>Settings of the REST API; bound from <c>AsyncFunctions:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "AsyncFunctions:Api";

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest <c>waitSeconds</c> of <c>GET /api/executions/{id}</c>.</summary>
    public int MaxWaitSeconds { get; set; } = 60;

    /// <summary>How long an <c>Idempotency-Key</c> of a start answers the execution it started.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);
}
