namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>The summary table printed at the end of a run: medians only, one line per figure.</summary>
public static class ConsoleSummary
{
    public static void Write(TextWriter output, ResultSet results, IReadOnlyList<string> storages, IReadOnlyList<string> scenarios, IReadOnlyList<GoalCheck> goals)
    {
        output.WriteLine();
        output.WriteLine($"{"storage",-8} {"scenario",-30} {"metric",-38} {"ours",14} {"raw",14} {"ours/raw",9}");
        output.WriteLine(new string('-', 118));
        foreach (var storage in storages)
        {
            foreach (var scenario in scenarios)
            {
                foreach (var row in ScenarioTable.Rows(results, storage, scenario))
                {
                    output.WriteLine($"{storage,-8} {Cut(scenario, 30),-30} {Cut(row.Metric.Name, 38),-38} {Median(row.Ours, row.Metric.Unit),14} {Median(row.Raw, row.Metric.Unit),14} {row.RatioText,9}");
                }
            }
        }

        output.WriteLine();
        foreach (var goal in goals)
        {
            output.WriteLine($"goal [{goal.Storage}] {goal.Goal}: {goal.Measured} (target {goal.Target}) -> {goal.Verdict}");
        }

        foreach (var outcome in results.Outcomes.Where(o => o.State != "ran"))
        {
            output.WriteLine($"{outcome.State} [{outcome.Storage}] {outcome.Scenario}: {outcome.Detail}");
        }
    }

    private static string Median(Spread? spread, string unit) => spread is null ? "-" : $"{Format.Value(spread.Median)} {unit}".TrimEnd();

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "~";
}
