using Hangfire;
using Hangfire.Dashboard;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's view of the results table: a panel with the execution on each job's page, an
/// Executions page (sync runs included) in the navigation bar, and a page per execution. Hangfire
/// keeps routes, menu items and job-details renderers for the whole process, so they are
/// registered once; each request reads the stores of the host that serves it.
/// </summary>
public static class ExecutionDashboard
{
    /// <summary>Where the server maps the dashboard.</summary>
    public const string DashboardPath = "/hangfire";

    /// <summary>The Executions page, under the dashboard.</summary>
    public const string ExecutionsPath = "/executions";

    /// <summary>The Nodes page (node heartbeats and takeovers), under the dashboard.</summary>
    public const string NodesPath = "/nodes";

    /// <summary>The page of concurrency and rate limits: each key with its running and waiting executions.</summary>
    public const string LimitsPath = "/limits";

    /// <summary>Where the panel goes among the job page's parts: after the job's own summary.</summary>
    private const int PanelOrder = 15;

    private static readonly Lock Gate = new();
    private static bool _registered;

    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            DashboardRoutes.Routes.AddRazorPage(ExecutionsPath, _ => new ExecutionsPage());
            DashboardRoutes.Routes.AddRazorPage(ExecutionsPath + "/(?<id>[^/]+)", match => new ExecutionRecordPage(match.Groups["id"].Value));
            NavigationMenu.Items.Add(page => new MenuItem("Executions", page.Url.To(ExecutionsPath))
            {
                Active = page.RequestPath.StartsWith(ExecutionsPath, StringComparison.Ordinal),
            });
            DashboardRoutes.Routes.AddRazorPage(NodesPath, _ => new NodesPage());
            NavigationMenu.Items.Add(page => new MenuItem("Nodes", page.Url.To(NodesPath))
            {
                Active = page.RequestPath.StartsWith(NodesPath, StringComparison.Ordinal),
            });
            DashboardRoutes.Routes.AddRazorPage(LimitsPath, _ => new LimitsPage());
            NavigationMenu.Items.Add(page => new MenuItem("Limits", page.Url.To(LimitsPath))
            {
                Active = page.RequestPath.StartsWith(LimitsPath, StringComparison.Ordinal),
            });
            GlobalConfiguration.Configuration.UseJobDetailsRenderer(PanelOrder, RenderPanel);
            _registered = true;
        }
    }

    private static NonEscapedString RenderPanel(JobDetailsRendererDto job)
    {
        var page = job.Page;
        var content = ExecutionPanel.LoadAsync(page.Context.GetHttpContext(), job.JobId).GetAwaiter().GetResult();
        return content is null
            ? new NonEscapedString("")
            : new NonEscapedString(ExecutionPanel.Render(content, new ExecutionLinks(page.Storage, page.Url)));
    }
}
