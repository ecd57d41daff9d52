using System.Globalization;
using System.Text;
using AsyncFunctions.Executions;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using static AsyncFunctions.AspNetCore.Dashboard.Html;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// <c>/executions</c>: the results table, newest first, sync runs included. Filters by function,
/// status, error code, parent and creation time (UTC; from inclusive, to exclusive); paged by the
/// store's cursor. Each row links to the job's page while the execution has a job.
/// </summary>
internal sealed class ExecutionsPage : RazorPage
{
    private const int DefaultLimit = 20;

    public override void Execute()
    {
        Layout = new LayoutPage("Executions");
        var http = Context.GetHttpContext();
        var links = new ExecutionLinks(Storage, Url);
        var filter = Filter.Read(Query);
        var html = new StringBuilder("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Executions</h1>");
        AppendForm(html, filter);
        if (filter.Problem is { } problem)
        {
            html.Append($"<div class=\"alert alert-danger af-problem\">{E(problem)}</div>");
        }
        else
        {
            try
            {
                var page = http.RequestServices.GetRequiredService<IExecutionStore>()
                    .ListAsync(filter.ToQuery(), http.RequestAborted).GetAwaiter().GetResult();
                AppendTable(html, page, links);
                AppendPager(html, filter, page, links);
            }
            catch (InvalidCursorException)
            {
                html.Append($"<div class=\"alert alert-danger af-problem\">This page's cursor is not valid. <a href=\"{E(links.List(filter.Link(cursor: null)))}\">First page</a></div>");
            }
        }

        html.Append("</div></div>");
        WriteLiteral(html.ToString());
    }

    private void AppendForm(StringBuilder html, Filter filter)
    {
        html.Append($"<form method=\"get\" action=\"{E(Url.To(ExecutionDashboard.ExecutionsPath))}\" class=\"form-inline af-filters\" style=\"margin-bottom: 1em\">");
        Input(html, "function", "Function", filter.Function);
        html.Append("<label style=\"margin-right: .5em\">Status <select name=\"status\" class=\"form-control\"><option value=\"\">any</option>");
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            var selected = filter.Status == status ? " selected" : "";
            html.Append($"<option value=\"{status}\"{selected}>{status}</option>");
        }

        html.Append("</select></label>");
        Input(html, "errorCode", "Error code", filter.ErrorCode);
        Input(html, "parent", "Parent", filter.Parent);
        Input(html, "from", "Created from (UTC)", filter.FromText, "2026-12-01T00:00");
        Input(html, "to", "to (UTC)", filter.ToText, "2026-12-02T00:00");
        html.Append("<button type=\"submit\" class=\"btn btn-primary btn-sm\">Filter</button> ");
        html.Append($"<a class=\"btn btn-default btn-sm\" href=\"{E(Url.To(ExecutionDashboard.ExecutionsPath))}\">Clear</a></form>");
    }

    private static void Input(StringBuilder html, string name, string label, string? value, string? placeholder = null) =>
        html.Append($"<label style=\"margin-right: .5em\">{E(label)} <input type=\"text\" class=\"form-control\" name=\"{name}\" value=\"{E(value)}\"")
            .Append(placeholder is null ? "" : $" placeholder=\"{E(placeholder)}\"").Append("></label>");

    private static void AppendTable(StringBuilder html, ExecutionPage page, ExecutionLinks links)
    {
        if (page.Items.Count == 0)
        {
            html.Append("<div class=\"alert alert-info af-empty\">No executions match.</div>");
            return;
        }

        html.Append("<table class=\"table table-striped af-executions\"><thead><tr><th>Execution</th><th>Function</th><th>Status</th>")
            .Append("<th>Attempts</th><th>Error code</th><th>Created</th><th>Completed</th><th>Job</th></tr></thead><tbody>");
        foreach (var r in page.Items)
        {
            var hasJob = links.HasJob(r.Id);
            html.Append($"<tr class=\"af-row\" data-id=\"{E(r.Id)}\"><td><a class=\"af-open\" href=\"{E(links.To(r.Id))}\">{E(r.Id)}</a></td>")
                .Append($"<td>{E(r.Function)}</td><td class=\"af-status\">{E(r.Status.ToString())}</td><td>{r.Attempts}</td>")
                .Append($"<td><code>{E(r.Error?.Code)}</code></td><td>{E(Time(r.CreatedAt))}</td><td>{E(Time(r.CompletedAt))}</td>")
                .Append(hasJob ? $"<td><a class=\"af-job\" href=\"{E(links.Job(r.Id))}\">job</a></td>" : "<td class=\"af-no-job\">none (sync run or expired)</td>")
                .Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void AppendPager(StringBuilder html, Filter filter, ExecutionPage page, ExecutionLinks links)
    {
        html.Append("<ul class=\"pager\">");
        if (filter.Cursor is not null)
        {
            html.Append($"<li class=\"previous\"><a class=\"af-first\" href=\"{E(links.List(filter.Link(cursor: null)))}\">First page</a></li>");
        }

        if (page.NextCursor is { } next)
        {
            html.Append($"<li class=\"next\"><a class=\"af-next\" href=\"{E(links.List(filter.Link(next)))}\">Next page</a></li>");
        }

        html.Append("</ul>");
    }

    /// <summary>The page's query string, read and checked; <see cref="Problem"/> says what is wrong with it.</summary>
    private sealed record Filter(string? Function, ExecutionStatus? Status, string? ErrorCode, string? Parent, string? FromText, string? ToText, int Limit, string? Cursor)
    {
        public DateTimeOffset? From { get; private init; }

        public DateTimeOffset? To { get; private init; }

        public string? Problem { get; private init; }

        public static Filter Read(Func<string, string> query)
        {
            string? Text(string name) => query(name)?.Trim() is { Length: > 0 } text ? text : null;
            var problems = new List<string>();
            ExecutionStatus? status = null;
            if (Text("status") is { } statusText)
            {
                if (Enum.TryParse<ExecutionStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !statusText.Any(char.IsDigit))
                {
                    status = parsed;
                }
                else
                {
                    problems.Add($"Unknown status '{statusText}'.");
                }
            }

            var limit = DefaultLimit;
            if (Text("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ExecutionQuery.MaxLimit))
            {
                problems.Add($"The limit must be a number from 1 to {ExecutionQuery.MaxLimit}.");
                limit = DefaultLimit;
            }

            var from = Time(Text("from"), "from", problems);
            var to = Time(Text("to"), "to", problems);
            return new Filter(Text("function"), status, Text("errorCode"), Text("parent"), Text("from"), Text("to"), limit, Text("cursor"))
            {
                From = from,
                To = to,
                Problem = problems.Count == 0 ? null : string.Join(" ", problems),
            };
        }

        public ExecutionQuery ToQuery() => new(Function, Status, Parent, Limit, Cursor)
        {
            ErrorCode = ErrorCode,
            CreatedFrom = From,
            CreatedBefore = To,
        };

        public string Link(string? cursor) => AsyncFunctions.AspNetCore.Dashboard.Html.Query(
            ("function", Function), ("status", Status?.ToString()), ("errorCode", ErrorCode), ("parent", Parent),
            ("from", FromText), ("to", ToText), ("limit", Limit == DefaultLimit ? null : Limit.ToString(CultureInfo.InvariantCulture)), ("cursor", cursor));

        private static DateTimeOffset? Time(string? text, string name, List<string> problems)
        {
            if (text is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return at;
            }

            problems.Add($"'{text}' is not a time for '{name}' (use 2026-12-01T08:30, UTC unless it names an offset).");
            return null;
        }
    }
}
