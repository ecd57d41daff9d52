using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
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
                // A cookie outlives configuration: its key must still be configured with the same role.
                o.Events.OnValidatePrincipal = context =>
                {
                    if (context.Principal?.Caller() is not { } caller || !context.HttpContext.RequestServices.GetRequiredService<ApiKeyRing>().Holds(caller))
                    {
                        context.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            })
            .AddPolicyScheme(DashboardAccess.Scheme, "Dashboard: key or sign-in cookie", o => o.ForwardDefaultSelector = DashboardAccess.SelectScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.ReadPolicy, Keyed().RequireRole(Roles.All).Build())
            .AddPolicy(Roles.InvokePolicy, Keyed().RequireRole(Roles.Admin, Roles.Invoker).Build())
            .AddPolicy(Roles.AdminPolicy, Keyed().RequireRole(Roles.Admin).Build())
            .AddPolicy(Roles.DashboardPolicy, new AuthorizationPolicyBuilder(DashboardAccess.Scheme)
                .RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Viewer).Build());

        services.AddKeyRateLimits();
        return services;
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

    /// <summary>The caller's key, then the per-key rate limit (it needs the key), then authorization.</summary>
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
        var result = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName).ConfigureAwait(false);
        if (result.Principal is { } principal)
        {
            context.User = principal;
        }

        await next(context).ConfigureAwait(false);
    }

    private static AuthorizationPolicyBuilder Keyed() =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser();
}
