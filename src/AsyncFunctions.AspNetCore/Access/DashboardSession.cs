using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using AsyncFunctions.Access;
using AsyncFunctions.Executions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// A dashboard sign-in: the cookie's claims name the key and role, the fingerprint of the key it
/// was made with, and a session id. Every request checks the fingerprint against the keys
/// configured now (a key replaced under the same name ends its sessions) and the session id
/// against the sessions ended with <c>/sign-out</c>, which every node reads from the results database.
/// </summary>
public static class DashboardSession
{
    public const string SessionIdClaim = "asyncfunctions:session";

    public const string KeyFingerprintClaim = "asyncfunctions:key";

    /// <summary>The principal of a new session for <paramref name="caller"/>.</summary>
    public static ClaimsPrincipal Open(ExecutionCaller caller, ApiKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(keys);
        var principal = CallerClaims.Principal(caller, DashboardAccess.CookieScheme);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(SessionIdClaim, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
        identity.AddClaim(new Claim(KeyFingerprintClaim, keys.FingerprintOf(caller) ?? ""));
        return principal;
    }

    /// <summary>The cookie handler's check of every request (<c>OnValidatePrincipal</c>).</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        if (context.Principal is not { } principal || !await IsValidAsync(principal, services, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardAccess.CookieScheme).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the session of <paramref name="principal"/> on every node until its cookie could no longer be valid.</summary>
    public static async Task EndAsync(ClaimsPrincipal principal, IServiceProvider services, TimeSpan cookieLifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(services);
        if (principal.FindFirst(SessionIdClaim)?.Value is { Length: > 0 } session)
        {
            // Any copy of the cookie was issued before now, so none is valid past now + its lifetime (sliding renewals included).
            var until = services.GetRequiredService<TimeProvider>().GetUtcNow() + cookieLifetime;
            await services.GetRequiredService<ISignedOutSessionStore>().SignOutAsync(session, until, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> IsValidAsync(ClaimsPrincipal principal, IServiceProvider services, CancellationToken cancellationToken)
    {
        var keys = services.GetRequiredService<ApiKeyRing>();
        if (principal.Caller() is not { } caller || keys.FingerprintOf(caller) is not { } expected
            || principal.FindFirst(KeyFingerprintClaim)?.Value is not { } presented
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented)))
        {
            return false;
        }

        return principal.FindFirst(SessionIdClaim)?.Value is { Length: > 0 } session
            && !await services.GetRequiredService<ISignedOutSessionStore>().IsSignedOutAsync(session, cancellationToken).ConfigureAwait(false);
    }
}
