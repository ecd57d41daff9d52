namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// How many failed authentications one client address may make; bound from
/// <c>AsyncFunctions:RateLimits:FailedKeys</c> (wrong API keys) and
/// <c>AsyncFunctions:RateLimits:FailedSignIns</c> (wrong keys on the sign-in form).
/// </summary>
public sealed class FailedAuthenticationOptions
{
    /// <summary>Wrong API keys (a 401 for an <c>Authorization</c> header).</summary>
    public const string Keys = "FailedKeys";

    /// <summary>Wrong keys posted to <c>/sign-in</c>.</summary>
    public const string SignIns = "FailedSignIns";

    /// <summary>Failures per second an address earns back; 0 turns the limit off.</summary>
    public double PermitPerSecond { get; set; }

    /// <summary>Failures an address may make at once before the rate applies (at least 1).</summary>
    public int Burst { get; set; }
}
