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
    /// (admin, viewer): <see cref="ExecutionVisibility.ScopedKey"/> of the request's caller.
    /// </summary>
    public static string? ScopedKey(this ClaimsPrincipal user) => ExecutionVisibility.ScopedKey(user.Caller());

    /// <summary>Whether the execution is visible to <paramref name="user"/> (<see cref="ExecutionVisibility"/>).</summary>
    public static bool Sees(this ClaimsPrincipal user, ExecutionRecord record) => ExecutionVisibility.Sees(user.Caller(), record);

    internal static bool IsLoopback(this ConnectionInfo connection) =>
        connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);
}
