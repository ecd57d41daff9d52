using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. A missing or wrong key is challenged with a 401
/// problem document and <c>WWW-Authenticate: Bearer</c>; a role that may not do something gets a
/// 403 problem document. Without configured keys in Development, loopback requests act as an
/// anonymous admin.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AsyncFunctions.ApiKey";

    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return Task.FromResult(keys.AllowsAnonymous && Context.Connection.IsLoopback()
                ? Success(ApiKeyRing.Anonymous)
                : AuthenticateResult.NoResult());
        }

        var value = header.Count == 1 ? header[0] : null;
        if (value is null || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || value.Length == BearerPrefix.Length)
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'."));
        }

        return Task.FromResult(keys.Find(value[BearerPrefix.Length..].Trim()) is { } caller
            ? Success(caller)
            : AuthenticateResult.Fail("The API key is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await WriteAsync(StatusCodes.Status401Unauthorized, "Unauthorized", failure?.Message ?? "Send an API key as 'Authorization: Bearer <key>' (AsyncFunctions:ApiKeys).").ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.Caller()?.Role ?? "none";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteAsync(StatusCodes.Status403Forbidden, "Forbidden", $"The role of this key ({role}) may not do this.");
    }

    private AuthenticateResult Success(AsyncFunctions.Executions.ExecutionCaller caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.Principal(caller, SchemeName), SchemeName));

    private async Task WriteAsync(int status, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            await Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json").ConfigureAwait(false);
        }
    }
}
