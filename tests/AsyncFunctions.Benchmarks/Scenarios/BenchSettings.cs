namespace AsyncFunctions.Benchmarks.Scenarios;

/// <summary>Sizes of a run; <see cref="Quick"/> is the CI smoke test, <see cref="Full"/> the real measurement.</summary>
public sealed record BenchSettings
{
    public required string Mode { get; init; }

    public int Repetitions { get; init; }

    public int WorkerCount { get; init; } = 16;

    /// <summary>Executions per burn-down, unless that would take longer than <see cref="MaxBurnDownSeconds"/>.</summary>
    public int BurnDownCount { get; init; }

    /// <summary>Caps a burn-down on a slow storage, from the rate the warm-up measured; never below a tenth of <see cref="BurnDownCount"/>.</summary>
    public double MaxBurnDownSeconds { get; init; }

    /// <summary>Threads that start executions in a burn-down (closed loop).</summary>
    public int Producers { get; init; } = 4;

    /// <summary>Threads that issue the open-loop schedule.</summary>
    public int OpenLoopThreads { get; init; } = 8;

    /// <summary>Length of one open-loop run.</summary>
    public double OpenLoopSeconds { get; init; }

    /// <summary>Open-loop rates as fractions of the measured maximum.</summary>
    public IReadOnlyList<double> LoadFractions { get; init; } = [0.5, 0.8];

    public int AwaitSamples { get; init; }

    public int FanOutSamples { get; init; }

    public int FanOutWidth { get; init; } = 100;

    public int ChainSamples { get; init; }

    public int ChainDepth { get; init; } = 10;

    public IReadOnlyList<int> PayloadBytes { get; init; } = [1024, 64 * 1024];

    /// <summary>Clients of the concurrent start + await scenario.</summary>
    public int ConcurrentClients { get; init; } = 200;

    /// <summary>How long the concurrent clients keep starting and awaiting.</summary>
    public double ConcurrentClientSeconds { get; init; } = 15;

    /// <summary>Parents per mode and repetition of the suspend + resume scenario, run one after another.</summary>
    public int SuspendSamples { get; init; }

    /// <summary>Durable sleeps per mode and repetition, their starts spread over one schedule-polling interval.</summary>
    public int SleepSamples { get; init; }

    /// <summary>How long the 2-worker fan-out with blocking awaits is given before it is reported as stalled.</summary>
    public double StallSeconds { get; init; } = 10;

    public static BenchSettings Quick => new()
    {
        Mode = "quick",
        Repetitions = 3,
        BurnDownCount = 1_000,
        MaxBurnDownSeconds = 3,
        OpenLoopSeconds = 1.5,
        AwaitSamples = 15,
        FanOutSamples = 3,
        ChainSamples = 3,
        ConcurrentClientSeconds = 3,
        SuspendSamples = 10,
        SleepSamples = 5,
        StallSeconds = 5,
    };

    public static BenchSettings Full => new()
    {
        Mode = "full",
        Repetitions = 5,
        BurnDownCount = 10_000,
        MaxBurnDownSeconds = 12,
        OpenLoopSeconds = 4,
        AwaitSamples = 25,
        FanOutSamples = 5,
        ChainSamples = 5,
        SuspendSamples = 30,
        SleepSamples = 10,
    };
}
