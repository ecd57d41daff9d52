using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// <c>/sign-in</c>: a page that takes an admin or viewer key and sets the dashboard's cookie
/// (HttpOnly, SameSite=Strict, Secure over https) bound to that key (<see cref="DashboardSession"/>);
/// <c>/sign-out</c> removes it and ends its session on the server. Both forms carry an
/// anti-forgery token; a post without it is refused with 400. Wrong keys are limited per client
/// address (<see cref="FailedAuthenticationLimiter"/>).
/// </summary>
public static class DashboardSignIn
{
    public const string Path = "/sign-in";

    public const string SignOutPath = "/sign-out";

    private const string DashboardPath = "/hangfire";

    public static IEndpointRouteBuilder MapDashboardSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ShowAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(Path, SignInAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        app.MapPost(SignOutPath, SignOutAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IAntiforgery antiforgery, string? returnUrl)
    {
        var signedIn = (await context.AuthenticateAsync(DashboardAccess.CookieScheme).ConfigureAwait(false)).Principal?.Caller();
        return Page(context, antiforgery, LocalReturnUrl(returnUrl), signedIn, message: null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, ApiKeyRing keys)
    {
        if (!await IsValidPostAsync(context, antiforgery).ConfigureAwait(false))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "The sign-in form's anti-forgery token is missing or not valid; reload the page.");
        }

        var limiter = context.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
        if (limiter.IsThrottled(FailedAuthenticationOptions.SignIns, context, out var retryAfter))
        {
            await FailedAuthenticationLimiter.WriteThrottledAsync(context, FailedAuthenticationOptions.SignIns, retryAfter, "keys to the sign-in form").ConfigureAwait(false);
            return Results.Empty;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var returnUrl = LocalReturnUrl(form["returnUrl"]);
        var caller = form["key"].ToString() is { } key && !string.IsNullOrWhiteSpace(key) ? keys.Find(key) : null;
        if (caller is null)
        {
            limiter.RecordFailure(FailedAuthenticationOptions.SignIns, context);
            return Page(context, antiforgery, returnUrl, null, "That key is not valid.", StatusCodes.Status401Unauthorized);
        }

        if (caller.Role is not (Roles.Admin or Roles.Viewer))
        {
            return Page(context, antiforgery, returnUrl, null, $"The role of that key ({caller.Role}) has no dashboard.", StatusCodes.Status403Forbidden);
        }

        await context.SignInAsync(DashboardAccess.CookieScheme, DashboardSession.Open(caller, keys)).ConfigureAwait(false);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await IsValidPostAsync(context, antiforgery).ConfigureAwait(false))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "The sign-out form's anti-forgery token is missing or not valid; reload the page.");
        }

        // Ended on the server too: a copy of the cookie kept elsewhere opens nothing afterwards, on any node.
        var session = await context.AuthenticateAsync(DashboardAccess.CookieScheme).ConfigureAwait(false);
        if (session.Principal is { } principal)
        {
            var lifetime = context.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(DashboardAccess.CookieScheme).ExpireTimeSpan;
            await DashboardSession.EndAsync(principal, context.RequestServices, lifetime, context.RequestAborted).ConfigureAwait(false);
        }

        await context.SignOutAsync(DashboardAccess.CookieScheme).ConfigureAwait(false);
        return Results.Redirect(Path);
    }

    /// <summary>Whether the post carries a valid anti-forgery token; a form that cannot be read (a NUL in a value, ...) carries none.</summary>
    private static async Task<bool> IsValidPostAsync(HttpContext context, IAntiforgery antiforgery)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AntiforgeryValidationException or InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>
    /// Only a path of the dashboard: never another site. It becomes a Location header, so it is
    /// printable ASCII only (a line break or other control character would break the header).
    /// </summary>
    private static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { } url && url.StartsWith(DashboardPath, StringComparison.Ordinal) && !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            && url.All(c => c is > ' ' and < (char)0x7F)
            ? url
            : DashboardPath;

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, string returnUrl, AsyncFunctions.Executions.ExecutionCaller? signedIn, string? message, int status)
    {
        // A fresh token for the user of this response (signed in or not).
        var tokens = antiforgery.GetAndStoreTokens(context);
        var token = $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken!)}\">";
        var body = signedIn is null
            ? $"""
              <form method="post" action="{Path}">
                {token}
                <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
                <label>API key (admin or viewer) <input type="password" name="key" autocomplete="current-password" autofocus required></label>
                <button type="submit">Sign in</button>
              </form>
              """
            : $"""
              <p>Signed in as <strong>{E(signedIn.Key)}</strong> ({E(signedIn.Role)}). <a href="{DashboardPath}">Open the dashboard</a></p>
              <form method="post" action="{SignOutPath}">{token}<button type="submit">Sign out</button></form>
              """;
        var error = message is null ? "" : $"<p role=\"alert\">{E(message)}</p>";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>AsyncFunctions: sign in</title></head>
            <body><h1>AsyncFunctions dashboard</h1>{error}{body}</body></html>
            """;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
