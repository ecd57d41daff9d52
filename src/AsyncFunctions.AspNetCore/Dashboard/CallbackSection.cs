using System.Globalization;
using System.Text;
using AsyncFunctions.Webhooks;
using static AsyncFunctions.AspNetCore.Dashboard.Html;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>The execution panel's webhook: its URL, its state and each delivery attempt.</summary>
internal static class CallbackSection
{
    public static void Append(StringBuilder html, ExecutionCallback? callback)
    {
        if (callback is null)
        {
            return;
        }

        html.Append("<h4>Webhook</h4><dl class=\"dl-horizontal af-callback\">");
        html.Append("<dt>URL</dt><dd><code class=\"af-callback-url\">").Append(E(callback.Url)).Append("</code></dd>");
        html.Append("<dt>State</dt><dd class=\"af-callback-state\">").Append(E(callback.State.ToString())).Append("</dd></dl>");
        if (callback.Deliveries.Count == 0)
        {
            return;
        }

        html.Append("<table class=\"table table-condensed af-deliveries\"><thead><tr><th>Attempt</th><th>At</th><th>Status</th><th>Error</th><th>ms</th></tr></thead><tbody>");
        foreach (var delivery in callback.Deliveries)
        {
            html.Append("<tr><td>").Append(delivery.Attempt.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(E(Time(delivery.At)))
                .Append("</td><td class=\"af-delivery-status\">").Append(delivery.Status?.ToString(CultureInfo.InvariantCulture) ?? "none")
                .Append("</td><td>").Append(E(delivery.Error ?? ""))
                .Append("</td><td>").Append(delivery.DurationMs.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        html.Append("</tbody></table>");
    }
}
