using System.Globalization;
using System.Net;
using System.Text;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Scenarios;

namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>
/// A small bar chart of the run's headline figures, written as SVG text next to the report: per
/// storage, ours beside raw Hangfire for the burn-down's throughput and CPU per execution, and our
/// fan-out makespan and 200-client round trips when the run measured them. Each panel has its own
/// scale from zero; bars show the median, labelled with its value.
/// </summary>
public static class SvgChart
{
    private const int PanelWidth = 250;
    private const int PanelHeight = 230;
    private const int Top = 56;
    private const int PlotTop = 44;
    private const int PlotBottom = 180;
    private const string OursColor = "#2f6fbf";
    private const string RawColor = "#9aa3ad";

    /// <summary>The SVG text, or null when the run measured none of the charted figures.</summary>
    public static string? Render(ResultSet results, IReadOnlyList<string> storages)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(storages);
        var panels = Panels(results, storages).Where(p => p.Bars.Any(b => b.Ours is not null || b.Raw is not null)).ToArray();
        if (panels.Length == 0)
        {
            return null;
        }

        var width = (panels.Length * PanelWidth) + 20;
        var height = Top + PanelHeight;
        var svg = new StringBuilder();
        svg.Append(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        svg.Append(F($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append("<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">AsyncFunctions vs raw Hangfire (medians)</text>\n");
        Legend(svg, 10, 38, OursColor, "ours");
        Legend(svg, 70, 38, RawColor, "raw Hangfire");
        for (var i = 0; i < panels.Length; i++)
        {
            Panel(svg, panels[i], 10 + (i * PanelWidth), Top);
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static IEnumerable<ChartPanel> Panels(ResultSet results, IReadOnlyList<string> storages)
    {
        ChartPanel Of(string title, string unit, string scenario, Func<string, string?> metric) => new(
            title,
            unit,
            storages.Select(storage => metric(storage) is { } name
                ? new StorageBar(storage, results.Get(storage, scenario, name, Sides.Ours)?.Median, results.Get(storage, scenario, name, Sides.Raw)?.Median)
                : new StorageBar(storage, null, null)).ToArray());

        yield return Of("burn-down throughput", "exec/s", BurnDownScenario.Title, _ => Metrics.Completed.Name);
        yield return Of("CPU per execution", "µs", BurnDownScenario.Title, _ => Metrics.Work(ProcessCost.Names[0]).Name);
        yield return Of("fan-out 100 + await-all makespan", "ms", FanOutScenario.Title, _ => "makespan");
        yield return Of("200 clients: round trips served", "/s", ConcurrentClientsScenario.Title, storage =>
            results.Measurements.FirstOrDefault(m => m.Storage == storage && m.Scenario == ConcurrentClientsScenario.Title && m.Metric.Name.EndsWith(": round trips served", StringComparison.Ordinal))?.Metric.Name);
    }

    private static void Panel(StringBuilder svg, ChartPanel panel, int x, int y)
    {
        svg.Append(F($"<g transform=\"translate({x},{y})\">\n"));
        svg.Append(F($"<text x=\"{(PanelWidth - 20) / 2}\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(panel.Title)} ({Escape(panel.Unit)})</text>\n"));
        svg.Append(F($"<line x1=\"0\" y1=\"{PlotBottom}\" x2=\"{PanelWidth - 20}\" y2=\"{PlotBottom}\" stroke=\"#333\"/>\n"));
        var max = panel.Bars.SelectMany(b => new[] { b.Ours ?? 0, b.Raw ?? 0 }).DefaultIfEmpty(0).Max();
        var scale = max > 0 ? (PlotBottom - PlotTop) / max : 0;
        var groupWidth = (PanelWidth - 20) / (double)panel.Bars.Count;
        var barWidth = Math.Min(36, (groupWidth - 12) / 2);
        for (var i = 0; i < panel.Bars.Count; i++)
        {
            var bar = panel.Bars[i];
            var center = (i + 0.5) * groupWidth;
            Bar(svg, center - barWidth - 1, barWidth, bar.Ours, scale, OursColor);
            Bar(svg, center + 1, barWidth, bar.Raw, scale, RawColor);
            svg.Append(F($"<text x=\"{center:0.#}\" y=\"{PlotBottom + 16}\" text-anchor=\"middle\">{Escape(bar.Storage)}</text>\n"));
            if (bar is { Ours: { } ours, Raw: { } raw } && raw > 0)
            {
                svg.Append(F($"<text x=\"{center:0.#}\" y=\"{PlotBottom + 30}\" text-anchor=\"middle\" fill=\"#555\">ours/raw {ours / raw:0.00}x</text>\n"));
            }
        }

        svg.Append("</g>\n");
    }

    private static void Bar(StringBuilder svg, double x, double width, double? value, double scale, string color)
    {
        if (value is not { } v)
        {
            return;
        }

        var height = Math.Max(1, v * scale);
        svg.Append(F($"<rect x=\"{x:0.#}\" y=\"{PlotBottom - height:0.#}\" width=\"{width:0.#}\" height=\"{height:0.#}\" fill=\"{color}\"/>\n"));
        svg.Append(F($"<text x=\"{x + (width / 2):0.#}\" y=\"{PlotBottom - height - 3:0.#}\" text-anchor=\"middle\" font-size=\"10\">{Escape(Format.Value(v))}</text>\n"));
    }

    private static void Legend(StringBuilder svg, int x, int y, string color, string label) =>
        svg.Append(F($"<rect x=\"{x}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{x + 14}\" y=\"{y}\">{Escape(label)}</text>\n"));

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record ChartPanel(string Title, string Unit, IReadOnlyList<StorageBar> Bars);

    private sealed record StorageBar(string Storage, double? Ours, double? Raw);
}
