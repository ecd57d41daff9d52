namespace AsyncFunctions.AspNetCore.Access;

/// <summary>The request rate one key may use; bound per role from <c>AsyncFunctions:RateLimits:&lt;role&gt;</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "AsyncFunctions:RateLimits";

    /// <summary>Requests per second a key of the role may make on average; 0 means unlimited. May be below 1 (0.5: one every two seconds).</summary>
    public double PermitPerSecond { get; set; }

    /// <summary>How many requests a key may make at once before the rate applies; 0 means the rate rounded up (at least 1).</summary>
    public int Burst { get; set; }
}
