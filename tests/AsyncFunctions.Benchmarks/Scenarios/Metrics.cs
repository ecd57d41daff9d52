using AsyncFunctions.Benchmarks.Reporting;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>The figures the scenarios report.</summary>
public static class Metrics
{
    public static readonly Metric Enqueued = new("enqueue rate", "exec/s", HigherIsBetter: true);
    public static readonly Metric Completed = new("completion rate", "exec/s", HigherIsBetter: true);

    public static Metric Work(string name) => new(name + " per execution", "", HigherIsBetter: false);

    public static Metric Latency(string load, string percentile) => new($"{load}: {percentile}", "ms", HigherIsBetter: false);

    public static Metric Milliseconds(string name) => new(name, "ms", HigherIsBetter: false);

    public static Metric Rate(string name) => new(name, "exec/s", HigherIsBetter: true);
}
