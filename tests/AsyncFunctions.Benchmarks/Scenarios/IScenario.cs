namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>One measured scenario; it runs all its repetitions on one storage.</summary>
public interface IScenario
{
    string Name { get; }

    /// <summary>Null when the scenario can run on this storage, else why not.</summary>
    string? SkipReason(ScenarioContext context) => null;

    Task RunAsync(ScenarioContext context);
}
