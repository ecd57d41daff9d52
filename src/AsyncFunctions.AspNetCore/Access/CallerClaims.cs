using System.Net;
using System.Security.Claims;
using AsyncFunctions.Executions;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>The caller of a request as claims: the key's name and its role.</summary>
public static class CallerClaims
{
    public static ClaimsPrincipal Principal(ExecutionCaller caller, string scheme)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, caller.Key), new Claim(ClaimTypes.Role, caller.Role)],
            scheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The caller of an authenticated request; null when there is none.</summary>
    public static ExecutionCaller? Caller(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity is { IsAuthenticated: true, Name: { } name } && user.FindFirst(ClaimTypes.Role)?.Value is { } role
            ? new ExecutionCaller(name, role)
            : null;
    }

    /// <summary>
    /// The key name an invoker's view is limited to, or null for roles that see every execution
    /// (admin, viewer).
    /// </summary>
    public static string? ScopedKey(this ClaimsPrincipal user) =>
        user.Caller() is { Role: Roles.Invoker } caller ? caller.Key : null;

    /// <summary>Whether the execution is visible to <paramref name="user"/>: any for admin and viewer, its own key's for an invoker.</summary>
    public static bool Sees(this ClaimsPrincipal user, ExecutionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return user.ScopedKey() is not { } key || string.Equals(record.Caller?.Key, key, StringComparison.Ordinal);
    }

    internal static bool IsLoopback(this ConnectionInfo connection) =>
        connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
