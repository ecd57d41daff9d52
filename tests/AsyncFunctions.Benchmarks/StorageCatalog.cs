using AsyncFunctions.Benchmarks.Storages;

namespace AsyncFunctions.Benchmarks;

/// <summary>Turns storage names from the command line into storages, or says clearly why one cannot run here.</summary>
public static class StorageCatalog
{
    public const string PostgresVariable = "ASYNCFUNCTIONS_BENCH_POSTGRES";
    public const string SqlServerVariable = "ASYNCFUNCTIONS_BENCH_SQLSERVER";

    /// <summary>"true" or "false" sets <c>Storage:PostgreSql:CreateJobsInOneTransaction</c> for the platform's side; unset, the provider's default.</summary>
    public const string PostgresOneTransactionVariable = "ASYNCFUNCTIONS_BENCH_POSTGRES_ONE_TRANSACTION";

    /// <summary>
    /// The max_connections of the PostgreSQL server the benchmark starts (300 unless set; PostgreSQL's
    /// own default is 100, the setting of the connection-limit measurement).
    /// </summary>
    public const string PostgresMaxConnectionsVariable = "ASYNCFUNCTIONS_BENCH_POSTGRES_MAX_CONNECTIONS";

    /// <summary>The platform's <c>Storage:PostgreSql:MaxPoolSize</c> per host (the provider's default unless set).</summary>
    public const string PostgresMaxPoolSizeVariable = "ASYNCFUNCTIONS_BENCH_POSTGRES_MAX_POOL_SIZE";

    /// <summary>"true" or "false" sets <c>Storage:PostgreSql:RecordInJobTransaction</c> for the platform's side; unset, the provider's default.</summary>
    public const string PostgresRecordInJobTransactionVariable = "ASYNCFUNCTIONS_BENCH_POSTGRES_RECORD_IN_JOB_TRANSACTION";

    /// <summary>"true" or "false" sets <c>Storage:PostgreSql:BatchCompletionNotifications</c> for the platform's side; unset, the provider's default.</summary>
    public const string PostgresBatchNotificationsVariable = "ASYNCFUNCTIONS_BENCH_POSTGRES_BATCH_NOTIFICATIONS";

    /// <summary>Why <paramref name="name"/> cannot be measured in this build or environment; null when it can.</summary>
    public static string? Unavailable(string name) => name switch
    {
        "sqlite" => null,
        "postgres" => null,
        "redis" => null,
        "sqlserver" => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(SqlServerVariable))
            ? $"SQL Server is measured only against a server you name: set {SqlServerVariable} to a connection string whose login may create databases."
            : null,
        _ => $"Unknown storage '{name}'; use sqlite, postgres, redis or sqlserver.",
    };

    public static Task<BenchStorage> CreateAsync(string name) => name switch
    {
        "sqlite" => Task.FromResult<BenchStorage>(new SqliteBenchStorage()),
        "postgres" => StartPostgresAsync(),
        "redis" => StartRedisAsync(),
        "sqlserver" => Task.FromResult<BenchStorage>(new SqlServerBenchStorage(Environment.GetEnvironmentVariable(SqlServerVariable)!)),
        _ => throw new InvalidOperationException(Unavailable(name)),
    };

    private static async Task<BenchStorage> StartPostgresAsync() => new PostgresBenchStorage(
        await PostgresServer.StartAsync().ConfigureAwait(false),
        Flag(PostgresOneTransactionVariable),
        Flag(PostgresRecordInJobTransactionVariable),
        Flag(PostgresBatchNotificationsVariable));

    private static bool? Flag(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
        ? string.Equals(value, "true", StringComparison.OrdinalIgnoreCase)
        : null;

    /// <summary>Redis jobs beside PostgreSQL results: a throwaway redis-server (or ASYNCFUNCTIONS_BENCH_REDIS) and PostgreSQL server.</summary>
    private static async Task<BenchStorage> StartRedisAsync() => new RedisBenchStorage(
        await AsyncFunctions.Storage.Tests.Fixtures.RedisTestServer.StartAsync(RedisVariable).ConfigureAwait(false),
        await PostgresServer.StartAsync().ConfigureAwait(false));

    public const string RedisVariable = "ASYNCFUNCTIONS_BENCH_REDIS";

    /// <summary>What the report lists as not measured in this run.</summary>
    public static IEnumerable<string> NotMeasured(IReadOnlyList<string> requested)
    {
        foreach (var name in new[] { "postgres", "redis", "sqlserver" })
        {
            if (Unavailable(name) is { } reason)
            {
                yield return $"{name}: {reason}";
            }
            else if (!requested.Contains(name))
            {
                yield return $"{name}: not requested in this run (add it to --storage).";
            }
        }
    }
}
