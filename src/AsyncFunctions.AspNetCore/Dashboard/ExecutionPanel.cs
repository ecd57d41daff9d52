using System.Text;
using AsyncFunctions.Executions;
using AsyncFunctions.Logging;
using static AsyncFunctions.AspNetCore.Dashboard.Html;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// One execution as an operator needs it: status, attempts, input, output, the error with its
/// code and data, the logs, links to the parent, the root and the children, and the record's REST
/// URL. Shown on the job's page and on the execution's own page (the only one a sync run has).
/// </summary>
internal static class ExecutionPanel
{
    /// <summary>How many children and log entries the panel lists; the Executions page has the rest.</summary>
    public const int MaxChildren = 100;

    public const int MaxLogs = 1000;

    public sealed record Content(ExecutionRecord Record, ExecutionPage Children, IReadOnlyList<ExecutionLogEntry> Logs, string RestUrl)
    {
        /// <summary>When and from which node the execution was taken over, from its job's history.</summary>
        public IReadOnlyList<string> Takeovers { get; init; } = [];
    }

    public static async Task<Content?> LoadAsync(HttpContext http, string id)
    {
        var services = http.RequestServices;
        var store = services.GetRequiredService<IExecutionStore>();
        if (await store.GetAsync(id, http.RequestAborted).ConfigureAwait(false) is not { } record)
        {
            return null;
        }

        var children = await store.ListAsync(new ExecutionQuery(ParentId: id, Limit: MaxChildren), http.RequestAborted).ConfigureAwait(false);
        var logs = await services.GetRequiredService<IExecutionLogStore>().ListAsync(id, MaxLogs, http.RequestAborted).ConfigureAwait(false);
        record = record with { Callback = await services.GetRequiredService<AsyncFunctions.Webhooks.ICallbackStore>().GetAsync(id, http.RequestAborted).ConfigureAwait(false) };
        if (record.Status == ExecutionStatus.Waiting && services.GetService<AsyncFunctions.FlowControl.IFlowAdmissionStore>() is { } admission)
        {
            record = record with { WaitingForLimit = await admission.DescribeWaitAsync(id, http.RequestAborted).ConfigureAwait(false) };
        }
        var request = http.Request;
        // The dashboard's requests carry its own path in PathBase; the API lives beside it.
        var pathBase = request.PathBase.Value ?? "";
        if (pathBase.EndsWith(ExecutionDashboard.DashboardPath, StringComparison.OrdinalIgnoreCase))
        {
            pathBase = pathBase[..^ExecutionDashboard.DashboardPath.Length];
        }

        var restUrl = $"{request.Scheme}://{request.Host}{pathBase}/api/executions/{Uri.EscapeDataString(id)}";
        return new Content(record, children, logs, restUrl) { Takeovers = NodeTakeovers.Of(services, id) };
    }

    public static string Render(Content content, ExecutionLinks links)
    {
        var r = content.Record;
        var html = new StringBuilder();
        html.Append("<div class=\"af-execution\" id=\"af-execution\">");
        html.Append("<h3>Execution</h3><dl class=\"dl-horizontal\">");
        Row(html, "Function", $"<a class=\"af-function\" href=\"{E(links.List(Query(("function", r.Function))))}\">{E(r.Function)}</a>"
            + (r.FunctionVersion is { } version ? $" (version {version})" : ""));
        Row(html, "Status", $"<span class=\"af-status\">{E(r.Status.ToString())}</span>");
        Row(html, "Queue", $"<span class=\"af-queue\">{E(r.Queue)}</span>");
        Row(html, "Attempts", $"<span class=\"af-attempts\">{r.Attempts}</span>" + (r.Resumes > 0 ? $", resumed {r.Resumes} times" : ""));
        Row(html, "Created", E(Time(r.CreatedAt)));
        if (content.Takeovers.Count > 0)
        {
            Row(html, "Taken over", string.Join("<br>", content.Takeovers.Select(t => $"<span class=\"af-takeover\">{E(t)}</span>")));
        }

        if (r.StartedAt is not null)
        {
            Row(html, "Started", E(Time(r.StartedAt)));
        }

        if (r.ResumedAt is not null)
        {
            Row(html, "Last resumed", E(Time(r.ResumedAt)));
        }

        if (r.CompletedAt is not null)
        {
            Row(html, "Completed", E(Time(r.CompletedAt)));
        }

        if (r.Caller is { } caller)
        {
            Row(html, "Started by", $"{E(caller.Key)} ({E(caller.Role)})");
        }

        Row(html, "Parent", r.ParentId is { } parent ? Link(links, parent, "af-parent") : "none");
        if (r.RootId is { } root && root != r.ParentId)
        {
            Row(html, "Root", Link(links, root, "af-root"));
        }

        if (r.Status == ExecutionStatus.Awaiting)
        {
            Row(html, "Waiting for", r.WaitingFor is { Count: > 0 } ids ? string.Join(", ", ids.Select(id => Link(links, id, "af-waiting-for"))) : "a sleep");
            Row(html, "Wakes by", E(Time(r.WakeAt)));
        }

        if (r.Status == ExecutionStatus.Waiting)
        {
            Row(html, "Waiting for", $"<span class=\"af-waiting-for-limit\">{E(r.WaitingForLimit ?? "a slot of a concurrency limit")}</span>");
        }

        Row(html, "REST URL", $"<code class=\"af-rest-url\">{E(content.RestUrl)}</code>");
        html.Append("</dl>");

        html.Append("<h4>Input</h4>").Append(Pre("af-input", Json(r.Input)));
        html.Append("<h4>Output</h4>").Append(Pre("af-output", Json(r.Output)));
        if (r.Error is { } error)
        {
            html.Append("<h4>Error</h4><dl class=\"dl-horizontal af-error\">");
            Row(html, "Code", $"<code class=\"af-error-code\">{E(error.Code)}</code>");
            Row(html, "Message", $"<span class=\"af-error-message\">{E(error.Message)}</span>");
            Row(html, "Type", E(error.Type));
            Row(html, "Data", Pre("af-error-data", Json(error.Data)));
            html.Append("</dl>");
        }

        CallbackSection.Append(html, r.Callback);
        AppendChildren(html, content.Children, r.Id, links);
        AppendLogs(html, content.Logs);
        html.Append("</div>");
        return html.ToString();
    }

    private static void AppendChildren(StringBuilder html, ExecutionPage children, string id, ExecutionLinks links)
    {
        html.Append("<h4>Children</h4>");
        if (children.Items.Count == 0)
        {
            html.Append("<p class=\"af-children\">none</p>");
            return;
        }

        html.Append("<table class=\"table table-condensed af-children\"><thead><tr><th>Execution</th><th>Function</th><th>Status</th></tr></thead><tbody>");
        foreach (var child in children.Items)
        {
            html.Append("<tr><td>").Append(Link(links, child.Id, "af-child")).Append("</td><td>").Append(E(child.Function))
                .Append("</td><td>").Append(E(child.Status.ToString())).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
        if (children.NextCursor is not null)
        {
            html.Append($"<p><a href=\"{E(links.List(Query(("parent", id))))}\">All children</a></p>");
        }
    }

    private static void AppendLogs(StringBuilder html, IReadOnlyList<ExecutionLogEntry> logs)
    {
        html.Append("<h4>Logs</h4>");
        if (logs.Count == 0)
        {
            html.Append("<p class=\"af-logs\">none</p>");
            return;
        }

        html.Append("<table class=\"table table-condensed af-logs\"><thead><tr><th>At</th><th>Level</th><th>Message</th><th>Data</th></tr></thead><tbody>");
        foreach (var entry in logs)
        {
            html.Append("<tr><td>").Append(E(Time(entry.At))).Append("</td><td>").Append(E(entry.Level))
                .Append("</td><td class=\"af-log-message\">").Append(E(entry.Message)).Append("</td><td>")
                .Append(entry.Data is null ? "" : Pre("af-log-data", Json(entry.Data))).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static string Link(ExecutionLinks links, string id, string cssClass) =>
        $"<a class=\"{cssClass}\" href=\"{E(links.To(id))}\">{E(id)}</a>";

    private static string Pre(string cssClass, string text) => $"<pre class=\"{cssClass}\">{E(text)}</pre>";

    private static void Row(StringBuilder html, string term, string definitionHtml) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(definitionHtml).Append("</dd>");
}
