using System.Collections.Concurrent;

namespace AsyncFunctions.Benchmarks.Reporting;

/// <summary>Every figure of a run: one value per repetition, per storage, scenario, metric and side.</summary>
public sealed class ResultSet
{
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly ConcurrentQueue<ScenarioOutcome> _outcomes = new();
    private readonly ConcurrentQueue<(string Storage, string Scenario, string Note)> _notes = new();

    public IEnumerable<Measurement> Measurements => _measurements;

    public IEnumerable<ScenarioOutcome> Outcomes => _outcomes;

    public IEnumerable<(string Storage, string Scenario, string Note)> Notes => _notes;

    public void Add(string storage, string scenario, Metric metric, string side, double value) =>
        _measurements.Enqueue(new Measurement(storage, scenario, metric, side, value));

    public void Note(string storage, string scenario, string note) => _notes.Enqueue((storage, scenario, note));

    public void Outcome(ScenarioOutcome outcome) => _outcomes.Enqueue(outcome);

    /// <summary>The values of one figure over the repetitions, or null when it was not measured.</summary>
    public Spread? Get(string storage, string scenario, string metric, string side)
    {
        var values = _measurements
            .Where(m => m.Storage == storage && m.Scenario == scenario && m.Metric.Name == metric && m.Side == side)
            .Select(m => m.Value)
            .ToArray();
        return values.Length == 0 ? null : Spread.Of(values);
    }
}

/// <summary>What a figure is: its name, unit, and which direction is better.</summary>
public sealed record Metric(string Name, string Unit, bool HigherIsBetter);

public sealed record Measurement(string Storage, string Scenario, Metric Metric, string Side, double Value);

/// <summary>How a scenario went on one storage: run, skipped (with why), or failed (with the error).</summary>
public sealed record ScenarioOutcome(string Storage, string Scenario, string State, string? Detail, TimeSpan Duration);
