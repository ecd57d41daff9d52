using System.Globalization;

namespace AsyncFunctions.Benchmarks;

/// <summary>The command line: <c>-- --storage sqlite,postgres --quick --out report.md --workers 16 --only 1,2</c>.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<string> Storages { get; init; } = ["sqlite"];

    public bool Quick { get; init; }

    public bool Micro { get; init; }

    public string? Out { get; init; }

    public int? Workers { get; init; }

    /// <summary>Scenario numbers to run (1-11); empty for all.</summary>
    public IReadOnlySet<int> Only { get; init; } = new HashSet<int>();

    /// <summary>Arguments after <c>--micro</c>, handed to BenchmarkDotNet.</summary>
    public string[] MicroArgs { get; init; } = [];

    public const string Usage = """
        Usage: dotnet run -c Release --project tests/AsyncFunctions.Benchmarks -- [options]

          --storage LIST   storages to measure, comma-separated: sqlite (default), postgres, redis, sqlserver
                           redis: Redis jobs + PostgreSQL results; starts a throw-away redis-server (AOF
                           everysec), or uses ASYNCFUNCTIONS_BENCH_REDIS, and a PostgreSQL server as postgres does
                           postgres: starts a throw-away server, or uses ASYNCFUNCTIONS_BENCH_POSTGRES;
                           ASYNCFUNCTIONS_BENCH_POSTGRES_ONE_TRANSACTION=true measures one-transaction starts;
                           ASYNCFUNCTIONS_BENCH_POSTGRES_MAX_CONNECTIONS=100 starts the server at PostgreSQL's default limit (300 otherwise);
                           ASYNCFUNCTIONS_BENCH_POSTGRES_MAX_POOL_SIZE=N sets the platform's pool per host (provider default 25)
                           sqlserver: only with a connection string in ASYNCFUNCTIONS_BENCH_SQLSERVER
          --quick          CI smoke size (3 repetitions, 1,000 executions per burn-down)
          --out FILE       report file (default tests/AsyncFunctions.Benchmarks/results/latest.md)
          --workers N      Hangfire workers on both sides (default 16)
          --only LIST      scenario numbers to run, e.g. 1,2 (default all)
          --micro [ARGS]   function-stack interpreter micro-benchmarks (BenchmarkDotNet); ARGS go to it
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--storage":
                    options = options with { Storages = Value(args, ref i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).Distinct().ToArray() };
                    break;
                case "--quick":
                    options = options with { Quick = true };
                    break;
                case "--out":
                    options = options with { Out = Value(args, ref i) };
                    break;
                case "--workers":
                    options = options with { Workers = int.Parse(Value(args, ref i), CultureInfo.InvariantCulture) };
                    break;
                case "--only":
                    options = options with { Only = Value(args, ref i).Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToHashSet() };
                    break;
                case "--micro":
                    return options with { Micro = true, MicroArgs = args[(i + 1)..] };
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        return options;
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"Option '{args[i - 1]}' needs a value.");
}
