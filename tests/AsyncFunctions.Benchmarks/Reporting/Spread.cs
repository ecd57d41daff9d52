namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>Median and range of one figure over the repetitions.</summary>
public sealed record Spread(int Count, double Median, double Min, double Max)
{
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(sorted.Length, median, sorted[0], sorted[^1]);
    }
}
