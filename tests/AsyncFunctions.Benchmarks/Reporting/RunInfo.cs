using AsyncFunctions.Benchmarks.Scenarios;

namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>Everything about a run that the report states besides the figures.</summary>
public sealed record RunInfo(
    string CommandLine,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    BenchSettings Settings,
    IReadOnlyList<(string Name, string Settings)> Storages,
    IReadOnlyList<string> Scenarios,
    IReadOnlyList<string> NotMeasured,
    MachineInfo Machine);
