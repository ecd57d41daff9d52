using System.Globalization;
using System.Net;
using System.Text;
using AsyncFunctions.Hangfire.States;
using Hangfire.Common;
using Hangfire.Dashboard;

namespace AsyncFunctions.Hangfire.Dashboard;

/// <summary>
/// How the dashboard shows a <see cref="SuspendedState"/> in a job's history: the executions it
/// waits for, each a link to its own job, and its deadline. Hangfire keeps one renderer per state
/// name for the whole process; registering twice is harmless.
/// </summary>
public static class SuspendedStateRenderer
{
    private static readonly Lock Gate = new();

    public static void Register()
    {
        lock (Gate)
        {
            if (JobHistoryRenderer.Exists(SuspendedState.StateName))
            {
                return;
            }

            JobHistoryRenderer.Register(SuspendedState.StateName, Render);
        }
    }

    private static NonEscapedString Render(HtmlHelper html, IDictionary<string, string> data)
    {
        var text = new StringBuilder("<dl class=\"dl-horizontal\">");
        var waitingFor = SuspendedState.ParseWaitingFor(data);
        text.Append("<dt>Waiting for:</dt><dd>");
        text.AppendJoin(", ", waitingFor.Select(id => html.JobIdLink(id).ToString()));
        text.Append("</dd>");
        if (data.TryGetValue("Deadline", out var deadline) && JobHelper.DeserializeNullableDateTime(deadline) is { } at)
        {
            text.Append("<dt>Resumes by:</dt><dd>")
                .Append(WebUtility.HtmlEncode(at.ToString("u", CultureInfo.InvariantCulture)))
                .Append(" at the latest</dd>");
        }

        text.Append("</dl>");
        return new NonEscapedString(text.ToString());
    }
}
