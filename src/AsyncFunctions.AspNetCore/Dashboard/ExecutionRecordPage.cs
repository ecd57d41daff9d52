using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using static AsyncFunctions.AspNetCore.Dashboard.Html;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// <c>/executions/{id}</c>: one execution's panel, with a link to its job when it has one. The
/// only page a sync run has, and where links go once a finished job has expired.
/// </summary>
internal sealed class ExecutionRecordPage(string id) : RazorPage
{
    public override void Execute()
    {
        Layout = new LayoutPage("Execution " + id);
        var http = Context.GetHttpContext();
        var content = ExecutionPanel.LoadAsync(http, id).GetAwaiter().GetResult();
        var links = new ExecutionLinks(Storage, Url);
        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\">");
        WriteLiteral($"<h1 class=\"page-header\">Execution <small>{E(id)}</small></h1>");
        if (content is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            WriteLiteral($"<div class=\"alert alert-warning\">There is no execution with this id. <a href=\"{E(links.List(""))}\">All executions</a></div>");
        }
        else
        {
            WriteLiteral(links.HasJob(id)
                ? $"<p><a class=\"af-job-link\" href=\"{E(links.Job(id))}\">Its Hangfire job</a></p>"
                : "<p class=\"af-no-job\">No Hangfire job: a sync run, or a job that has expired.</p>");
            WriteLiteral(ExecutionPanel.Render(content, links));
        }

        WriteLiteral("</div></div>");
    }
}
