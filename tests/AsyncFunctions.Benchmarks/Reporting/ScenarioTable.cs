namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>The rows of one scenario on one storage: each figure for ours and raw, and their ratio.</summary>
public static class ScenarioTable
{
    public static IEnumerable<Row> Rows(ResultSet results, string storage, string scenario)
    {
        var metrics = results.Measurements
            .Where(m => m.Storage == storage && m.Scenario == scenario)
            .Select(m => m.Metric)
            .Distinct();
        foreach (var metric in metrics)
        {
            var ours = results.Get(storage, scenario, metric.Name, "ours");
            var raw = results.Get(storage, scenario, metric.Name, "raw");
            yield return new Row(metric, ours, raw);
        }
    }

    public sealed record Row(Metric Metric, Spread? Ours, Spread? Raw)
    {
        public string OursText => Format.Spread(Ours, Metric.Unit);

        public string RawText => Format.Spread(Raw, Metric.Unit);

        public string RatioText => Format.Ratio(Ours, Raw);
    }
}
