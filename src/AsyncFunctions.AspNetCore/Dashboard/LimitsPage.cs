using System.Globalization;
using System.Text;
using AsyncFunctions.FlowControl;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using static AsyncFunctions.AspNetCore.Dashboard.Html;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// <c>/limits</c>: every concurrency and rate limit in use, one row per key value, with its limit,
/// how many executions hold a slot (running) and how many wait for one. A rate limit's row counts
/// the starts of its window as reservations, not as running executions.
/// </summary>
internal sealed class LimitsPage : RazorPage
{
    public override void Execute()
    {
        Layout = new LayoutPage("Limits");
        var http = Context.GetHttpContext();
        var store = http.RequestServices.GetService<IFlowAdmissionStore>();
        var usage = store is null ? [] : store.ListUsageAsync(http.RequestAborted).GetAwaiter().GetResult();
        var html = new StringBuilder("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Limits</h1>");
        var concurrency = usage.Where(u => u.Scope.Contains("#c", StringComparison.Ordinal)).ToList();
        if (concurrency.Count == 0)
        {
            html.Append("<p class=\"af-limits-none\">No execution of a function with a concurrency limit has started yet.</p>");
        }
        else
        {
            html.Append("<table class=\"table table-condensed af-limits\"><thead><tr><th>Function</th><th>Limit</th><th>Key</th><th>At once</th><th>Running</th><th>Waiting</th></tr></thead><tbody>");
            foreach (var row in concurrency)
            {
                html.Append("<tr class=\"af-limit\"><td class=\"af-limit-function\">").Append(E(row.Function))
                    .Append("</td><td>").Append(E("concurrency " + row.Scope[(row.Scope.LastIndexOf('#') + 2)..]))
                    .Append("</td><td class=\"af-limit-key\">").Append(row.Key.Length == 0 ? "(whole function)" : E(row.Key))
                    .Append("</td><td>").Append(row.Limit.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"af-limit-running\">").Append(row.Running.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"af-limit-waiting\">").Append(row.Waiting.ToString(CultureInfo.InvariantCulture))
                    .Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</div></div>");
        WriteLiteral(html.ToString());
    }
}
