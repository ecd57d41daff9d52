using AsyncFunctions.FunctionStacks.Http;
using Hangfire.Dashboard;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// Who may use the dashboard: admin (everything) and viewer (read-only), signed in with the
/// sign-in page's cookie or sending a key. Requests of stacks' request steps never reach it: an
/// allow-list entry for this server itself must not hand stacks the requeue and delete buttons.
/// </summary>
public sealed class DashboardAccess : IDashboardAuthorizationFilter
{
    /// <summary>Authenticates a dashboard request by its key when it sends one, otherwise by the sign-in cookie.</summary>
    public const string Scheme = "AsyncFunctions.Dashboard";

    /// <summary>Not the default "Cookies", which a host app's own cookie sign-in is likely to use.</summary>
    public const string CookieScheme = "AsyncFunctions.DashboardCookie";

    /// <summary>The dashboard's own script posts here to refresh its counters: a read.</summary>
    private const string StatsPath = "/stats";

    /// <summary>Read-only for every role but admin (Hangfire hides the buttons that change jobs).</summary>
    public static bool IsReadOnly(DashboardContext context) =>
        !context.GetHttpContext().User.IsInRole(Roles.Admin);

    /// <summary>
    /// Hangfire answers 403 to an authenticated request this refuses: a stack's request step, or a
    /// post other than the counters from a role that may only read.
    /// </summary>
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (http.Request.Headers.ContainsKey(StackRequestHeader.Name))
        {
            return false;
        }

        var reads = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || string.Equals(context.Request.Path, StatsPath, StringComparison.OrdinalIgnoreCase);
        return http.User.IsInRole(Roles.Admin) || (reads && http.User.IsInRole(Roles.Viewer));
    }

    /// <summary>Which scheme authenticates a dashboard request: the key's when it sends one (or none is configured), else the cookie.</summary>
    internal static string SelectScheme(HttpContext context) =>
        context.Request.Headers.Authorization.Count > 0 || context.RequestServices.GetRequiredService<ApiKeyRing>().AllowsAnonymous
            ? ApiKeyAuthenticationHandler.SchemeName
            : CookieScheme;
}
