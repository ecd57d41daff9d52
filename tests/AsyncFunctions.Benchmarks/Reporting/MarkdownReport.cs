using System.Globalization;
using System.Text;

namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>Writes the run as a Markdown report: machine, settings, goals, every figure with its spread, and the method.</summary>
public static class MarkdownReport
{
    /// <param name="chartFile">The chart written next to the report (<see cref="SvgChart"/>), by its file name; null when there is none.</param>
    public static string Render(RunInfo run, ResultSet results, IReadOnlyList<GoalCheck> goals, string? chartFile = null)
    {
        var md = new StringBuilder();
        var s = run.Settings;
        Line(md, $"# AsyncFunctions benchmark ({s.Mode} run)");
        Line(md);
        Line(md, $"Run {run.StartedAt:yyyy-MM-dd HH:mm} UTC, took {run.Duration.TotalMinutes:0.0} min: `{run.CommandLine}`");
        Line(md);
        Line(md, "## Machine");
        Line(md);
        Line(md, "| CPU | cores | memory | OS | .NET | GC |");
        Line(md, "|---|---|---|---|---|---|");
        var m = run.Machine;
        Line(md, $"| {m.Cpu} | {m.Cores} | {m.MemoryGiB:0.0} GiB | {m.Os} | {m.Runtime} | {m.Gc} |");
        Line(md);
        Line(md, "## Settings");
        Line(md);
        Line(md, $"- Repetitions: {s.Repetitions} per figure; tables show the median and [min-max] over them.");
        Line(md, $"- Workers: {s.WorkerCount} Hangfire workers on both sides (ours: `AsyncFunctions:Server:WorkerCount`; raw: `BackgroundJobServerOptions.WorkerCount`), schedule polling 1 s, queue `default`.");
        Line(md, $"- Burn-down: {s.BurnDownCount:N0} executions, or fewer where that would take over {s.MaxBurnDownSeconds:0} s at the warm-up rate (each scenario notes its N), {s.Producers} producer threads. Open loop: {s.OpenLoopSeconds:0.#} s per run, {s.OpenLoopThreads} request threads, at {string.Join(" and ", s.LoadFractions.Select(f => (f * 100).ToString("0", CultureInfo.InvariantCulture) + "%"))} of our measured maximum.");
        foreach (var (name, settings) in run.Storages)
        {
            Line(md, $"- Storage `{name}`: {settings}.");
        }

        Line(md);
        Line(md, "## Goals");
        Line(md);
        Line(md, "Reported, not enforced: the run succeeds whenever every scenario ran.");
        Line(md);
        Line(md, "| goal | storage | measured (median) | target | verdict |");
        Line(md, "|---|---|---|---|---|");
        foreach (var goal in goals)
        {
            Line(md, $"| {goal.Goal} | {goal.Storage} | {goal.Measured} | {goal.Target} | {goal.Verdict} |");
        }

        if (chartFile is not null)
        {
            Line(md);
            Line(md, $"![Ours vs raw Hangfire: burn-down throughput and CPU per execution per storage, fan-out and 200-client figures when measured]({Uri.EscapeDataString(chartFile)})");
        }

        foreach (var (storage, _) in run.Storages)
        {
            Line(md);
            Line(md, $"## Results: {storage}");
            foreach (var scenario in run.Scenarios)
            {
                var rows = ScenarioTable.Rows(results, storage, scenario).ToArray();
                var outcome = results.Outcomes.FirstOrDefault(o => o.Storage == storage && o.Scenario == scenario);
                if (rows.Length == 0 && outcome is null)
                {
                    continue;
                }

                Line(md);
                Line(md, $"### {scenario}");
                Line(md);
                if (outcome is not null && outcome.State != "ran")
                {
                    Line(md, $"**{outcome.State}**: {outcome.Detail}");
                    Line(md);
                }

                if (rows.Length > 0)
                {
                    var hasRaw = rows.Any(r => r.Raw is not null);
                    Line(md, hasRaw ? "| figure | ours | raw Hangfire | ours/raw |" : "| figure | ours |");
                    Line(md, hasRaw ? "|---|---|---|---|" : "|---|---|");
                    foreach (var row in rows)
                    {
                        Line(md, hasRaw ? $"| {row.Metric.Name} | {row.OursText} | {row.RawText} | {row.RatioText} |" : $"| {row.Metric.Name} | {row.OursText} |");
                    }

                    Line(md);
                }

                foreach (var (_, _, note) in results.Notes.Where(n => n.Storage == storage && n.Scenario == scenario))
                {
                    Line(md, $"- {note}");
                }

                if (outcome is not null)
                {
                    Line(md, $"- Took {outcome.Duration.TotalSeconds:0.0} s.");
                }
            }
        }

        Line(md);
        Line(md, "## Not measured");
        Line(md);
        foreach (var item in run.NotMeasured)
        {
            Line(md, $"- {item}");
        }

        Line(md);
        md.Append(Method.Text);
        return md.ToString();
    }

    /// <summary>Appends a line; the project runs with invariant globalization, so numbers format alike everywhere.</summary>
    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
