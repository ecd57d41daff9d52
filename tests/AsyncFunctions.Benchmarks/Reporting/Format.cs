using System.Globalization;

namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>Number formatting shared by the Markdown report and the console summary.</summary>
public static class Format
{
    public static string Value(double value) => value switch
    {
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0.0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };

    public static string Spread(Spread? spread, string unit) => spread is null
        ? "-"
        : spread.Count == 1
            ? $"{Value(spread.Median)} {unit}".TrimEnd()
            : $"{Value(spread.Median)} {unit} [{Value(spread.Min)}-{Value(spread.Max)}]".Replace("  ", " ", StringComparison.Ordinal);

    /// <summary>ours / raw, or "-" when raw is missing or too close to zero for a ratio to mean anything.</summary>
    public static string Ratio(Spread? ours, Spread? raw) => ours is null || raw is null || Math.Abs(raw.Median) < 0.01
        ? "-"
        : (ours.Median / raw.Median).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}
