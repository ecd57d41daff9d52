using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Benchmarks.Raw;
using AsyncFunctions.Benchmarks.Reporting;
using AsyncFunctions.Benchmarks.Storages;

namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>What a scenario gets: the storage, the sizes, where figures go, and what earlier scenarios measured.</summary>
public sealed class ScenarioContext(BenchStorage storage, BenchSettings settings, ResultSet results, TextWriter log)
{
    public BenchStorage Storage { get; } = storage;

    public BenchSettings Settings { get; } = settings;

    public ResultSet Results { get; } = results;

    public TextWriter Log { get; } = log;

    /// <summary>Our completion rate in the warm-up, a first estimate for sizing runs on slow storages.</summary>
    public double? WarmUpRate { get; set; }

    /// <summary>Executions per burn-down on this storage: the settings' count, capped by the time limit.</summary>
    public int BurnDownCount => WarmUpRate is { } rate
        ? Math.Clamp((int)(rate * Settings.MaxBurnDownSeconds), Settings.BurnDownCount / 10, Settings.BurnDownCount)
        : Settings.BurnDownCount;

    /// <summary>Executions per payload burn-down: fewer for big payloads, so every size costs about the same time.</summary>
    public int PayloadCount(int bytes) => Math.Max(50, bytes <= 1024 ? BurnDownCount / 4 : BurnDownCount / 20);

    /// <summary>Our median no-op completion rate in the burn-down: the maximum the open-loop rates are fractions of.</summary>
    public double? MaxRate { get; set; }

    /// <summary>Starts a fresh host of <paramref name="kind"/> ("ours" or "raw") on a fresh database.</summary>
    public async Task<IJobSide> OpenSideAsync(string kind)
    {
        var database = await Storage.NewDatabaseAsync().ConfigureAwait(false);
        var counter = Storage.DatabaseCounter(database);
        return kind == Sides.Ours
            ? await PlatformHost.StartAsync(Storage, database, Settings.WorkerCount, counter, () => Storage.ReleaseDatabaseAsync(database)).ConfigureAwait(false)
            : await RawHangfireHost.StartAsync(Storage.CreateRawJobStorage(database), Settings.WorkerCount, counter, () => Storage.ReleaseDatabaseAsync(database)).ConfigureAwait(false);
    }

    /// <summary>Starts a fresh platform host on a fresh database.</summary>
    /// <param name="workerCount">Workers of this host; null for the run's <see cref="BenchSettings.WorkerCount"/>.</param>
    /// <param name="stacks">Function-stack documents to save once it runs; null for C# functions only.</param>
    /// <param name="settings">More configuration keys.</param>
    /// <param name="resultsInMemory">Keep the results in the storage contract's in-memory store instead of the storage's table.</param>
    /// <param name="configure">Changes to the host's services after <c>AddAsyncFunctions</c> (probes).</param>
    public async Task<PlatformHost> OpenPlatformAsync(int? workerCount = null, IReadOnlyList<string>? stacks = null, IReadOnlyDictionary<string, string?>? settings = null, bool resultsInMemory = false, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var database = await Storage.NewDatabaseAsync().ConfigureAwait(false);
        return await PlatformHost.StartAsync(
            Storage,
            database,
            workerCount ?? Settings.WorkerCount,
            Storage.DatabaseCounter(database),
            () => Storage.ReleaseDatabaseAsync(database),
            stacks,
            settings,
            resultsInMemory,
            configure).ConfigureAwait(false);
    }

    public void Add(string scenario, Metric metric, string side, double value) => Results.Add(Storage.Name, scenario, metric, side, value);

    public void Note(string scenario, string note) => Results.Note(Storage.Name, scenario, note);
}

/// <summary>The two sides, and the order they run in per repetition (alternating, so drift hits both alike).</summary>
public static class Sides
{
    public const string Ours = "ours";
    public const string Raw = "raw";

    public static string[] InOrder(int repetition) => repetition % 2 == 0 ? [Ours, Raw] : [Raw, Ours];
}
