using System.Globalization;
using System.Text;
using AsyncFunctions.Hangfire.Nodes;
using AsyncFunctions.Nodes;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using static AsyncFunctions.AspNetCore.Dashboard.Html;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// <c>/nodes</c>: every node's heartbeat beside Hangfire's Servers page, which shows Hangfire's own
/// (much slower) server heartbeat: when each node last beat, and for a node whose beats stopped,
/// which node took its work over, when, and how many executions it requeued. The requeued
/// executions show the takeover in their job history and execution panel.
/// </summary>
internal sealed class NodesPage : RazorPage
{
    public override void Execute()
    {
        Layout = new LayoutPage("Nodes");
        var http = Context.GetHttpContext();
        var services = http.RequestServices;
        var identity = services.GetRequiredService<NodeIdentity>();
        var nodes = services.GetRequiredService<INodeHeartbeatStore>().ListAsync(http.RequestAborted).GetAwaiter().GetResult();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var html = new StringBuilder("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Nodes</h1>");
        if (!identity.IsHeartbeating)
        {
            html.Append("<p class=\"af-nodes-off\">This node records no heartbeats: node heartbeats and takeover run on shared topologies (PostgreSQL, SQL Server). The embedded default runs one node.</p>");
        }

        if (nodes.Count == 0)
        {
            html.Append("<p class=\"af-nodes\">No node has recorded a heartbeat.</p>");
        }
        else
        {
            html.Append("<table class=\"table table-condensed af-nodes\"><thead><tr><th>Node</th><th>Hangfire server</th><th>Started</th><th>Last heartbeat</th><th>Beats</th><th>Taken over</th></tr></thead><tbody>");
            foreach (var node in nodes)
            {
                var self = node.NodeId == identity.NodeId ? " (this node)" : "";
                var age = (now - node.LastHeartbeatAt).TotalSeconds;
                html.Append("<tr class=\"af-node\"><td class=\"af-node-id\">").Append(E(node.NodeId + self))
                    .Append("</td><td>").Append(E(node.ServerId ?? "none (API only)"))
                    .Append("</td><td>").Append(E(Time(node.StartedAt)))
                    .Append("</td><td class=\"af-node-heartbeat\">").Append(E(Time(node.LastHeartbeatAt)))
                    .Append(E(string.Create(CultureInfo.InvariantCulture, $" ({age:F0} s ago)")))
                    .Append("</td><td>").Append(node.Beats.ToString(CultureInfo.InvariantCulture))
                    .Append("</td><td class=\"af-node-takeover\">").Append(E(Takeover(node)))
                    .Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</div></div>");
        WriteLiteral(html.ToString());
    }

    private static string Takeover(NodeRecord node) => node.TakenOverAt is not { } at
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"{Time(at)} by {node.TakenOverBy}: {node.TakenOverExecutions} execution(s) requeued or ended")
          + (node.IsTakenOver ? "" : "; the node came back since");
}
