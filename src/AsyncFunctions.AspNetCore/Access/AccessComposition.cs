using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using AsyncFunctions.AspNetCore.Dashboard;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>API keys, roles, the dashboard's sign-in and per-key rate limits, put together.</summary>
public static class AccessComposition
{
    public static IServiceCollection AddAccessControl(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>()
            .Configure(o => o.Keys.AddRange(configuration.GetSection(ApiKeyOptions.Section).Get<List<ApiKeyEntry>>() ?? []))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton<ApiKeyRing>();
        services.AddHostedService<AccessStartupCheck>();

        // No default scheme: every policy of the platform names its schemes, so a host app keeps its own default.
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(DashboardAccess.CookieScheme, o =>
            {
                o.Cookie.Name = ".AsyncFunctions.Dashboard";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = DashboardSignIn.Path;
                o.ReturnUrlParameter = "returnUrl";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                // A cookie outlives configuration and sign-outs: its key must still be configured, the same key, and its session not ended.
                o.Events.OnValidatePrincipal = DashboardSession.ValidateAsync;
            })
            .AddPolicyScheme(DashboardAccess.Scheme, "Dashboard: key or sign-in cookie", o => o.ForwardDefaultSelector = DashboardAccess.SelectScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ReadPolicy, Keyed().RequireRole(Roles.All).Build())
            .AddPolicy(Roles.InvokePolicy, Keyed().RequireRole(Roles.Admin, Roles.Invoker).Build())
            .AddPolicy(Roles.AdminPolicy, Keyed().RequireRole(Roles.Admin).Build())
            .AddPolicy(Roles.DashboardPolicy, new AuthorizationPolicyBuilder(DashboardAccess.Scheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Viewer).Build());

        services.AddKeyRateLimits();
        AddFailedAuthenticationLimits(services);

        // A wrong key is counted (asyncfunctions.auth.failures), not logged: the handler's own
        // Information lines ("was not authenticated", "was challenged") would let anyone fill the log.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter(typeof(ApiKeyAuthenticationHandler).FullName, LogLevel.Warning));
        return services;
    }

    private static void AddFailedAuthenticationLimits(IServiceCollection services)
    {
        // Sign-in is the strictest: a person types a key now and then; a program with a wrong key retries faster.
        foreach (var (kind, rate, burst) in new[] { (FailedAuthenticationOptions.Keys, 5.0, 50), (FailedAuthenticationOptions.SignIns, 0.2, 10) })
        {
            var section = $"{RateLimitOptions.Section}:{kind}";
            services.AddOptions<FailedAuthenticationOptions>(kind)
                .Configure(o => (o.PermitPerSecond, o.Burst) = (rate, burst))
                .BindConfiguration(section)
                .Validate(o => o.PermitPerSecond >= 0 && double.IsFinite(o.PermitPerSecond), $"{section}:PermitPerSecond must be 0 (no limit) or more.")
                .Validate(o => o.Burst >= 1, $"{section}:Burst must be 1 or more.")
                .ValidateOnStart();
        }

        services.AddSingleton<FailedAuthenticationLimiter>();
    }

    /// <summary>
    /// For an app that is the platform alone (the shipped server): the key's scheme is the default
    /// and, secure by default, an endpoint that says nothing needs a valid key.
    /// </summary>
    public static IServiceCollection RequireKeysEverywhere(this IServiceCollection services)
    {
        services.Configure<AuthenticationOptions>(o => o.DefaultScheme = ApiKeyAuthenticationHandler.SchemeName);
        services.AddAuthorizationBuilder().SetFallbackPolicy(Keyed().Build());
        return services;
    }

    /// <summary>
    /// The caller's key (refused with 429 while the address has sent too many wrong ones), then the
    /// per-key rate limit (it needs the key), then authorization.
    /// </summary>
    public static IApplicationBuilder UseAccessControl(this IApplicationBuilder app)
    {
        app.Use(IdentifyCallerAsync);
        app.UseKeyRateLimits();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Like UseAuthentication, but with the key's scheme rather than the app's default, which a
    /// host app may have chosen for its own endpoints. The endpoint's policy authenticates again.
    /// </summary>
    private static async Task IdentifyCallerAsync(HttpContext context, RequestDelegate next)
    {
        var limiter = context.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
        var sendsKey = context.Request.Headers.Authorization.Count > 0;
        if (sendsKey && limiter.IsThrottled(FailedAuthenticationOptions.Keys, context, out var retryAfter))
        {
            await FailedAuthenticationLimiter.WriteThrottledAsync(context, FailedAuthenticationOptions.Keys, retryAfter, "API keys").ConfigureAwait(false);
            return;
        }

        var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName).ConfigureAwait(false);
        if (result.Principal is { } principal)
        {
            context.User = principal;
        }
        else if (result.Failure is not null)
        {
            limiter.RecordFailure(FailedAuthenticationOptions.Keys, context);
        }
        else if (!sendsKey && context.Request.Path.StartsWithSegments(ExecutionDashboard.DashboardPath, StringComparison.OrdinalIgnoreCase))
        {
            // A dashboard request signed in with the cookie counts against its key's rate limit like the key itself.
            var cookie = await context.AuthenticateAsync(DashboardAccess.CookieScheme).ConfigureAwait(false);
            if (cookie.Principal is { } signedIn)
            {
                context.User = signedIn;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static AuthorizationPolicyBuilder Keyed() =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser();
}
