using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Redis;
using AsyncFunctions.Sqlite;
using AsyncFunctions.SqlServer;

namespace AsyncFunctions.AspNetCore.Configuration;

/// <summary>
/// Chooses the storage provider from <c>AsyncFunctions:Storage:Provider</c> and
/// <c>ConnectionStrings:AsyncFunctions</c> (the results table, and the jobs unless told otherwise),
/// and optionally another job storage from <c>AsyncFunctions:Storage:Jobs:Provider</c> and
/// <c>ConnectionStrings:AsyncFunctionsJobs</c>.
/// </summary>
public static class StorageSelection
{
    public const string ProviderKey = "AsyncFunctions:Storage:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:AsyncFunctions";
    public const string JobsProviderKey = "AsyncFunctions:Storage:Jobs:Provider";
    public const string JobsConnectionStringKey = "ConnectionStrings:AsyncFunctionsJobs";

    public static AsyncFunctionsBuilder UseConfiguredStorage(this AsyncFunctionsBuilder builder, IConfiguration configuration)
    {
        var jobs = configuration[JobsProviderKey];
        var redisJobs = JobsInRedis(jobs);
        UseConfiguredResults(builder, configuration, redisJobs);
        if (redisJobs)
        {
            var connectionString = configuration[JobsConnectionStringKey];
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"{JobsConnectionStringKey} is required when {JobsProviderKey} is Redis.");
            }

            builder.UseRedisJobs(connectionString, o => configuration.GetSection(RedisJobStorageOptions.Section).Bind(o));
        }

        return builder;
    }

    private static bool JobsInRedis(string? jobs)
    {
        if (string.IsNullOrWhiteSpace(jobs) || jobs.Equals("Default", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return jobs.Equals("Redis", StringComparison.OrdinalIgnoreCase)
            ? true
            : throw new InvalidOperationException($"{JobsProviderKey} is '{jobs}'; it must be Redis, or Default (or absent) for the jobs in {ProviderKey}'s database.");
    }

    private static AsyncFunctionsBuilder UseConfiguredResults(AsyncFunctionsBuilder builder, IConfiguration configuration, bool jobsElsewhere)
    {
        var provider = configuration[ProviderKey] ?? "Sqlite";
        var connectionString = configuration[ConnectionStringKey];
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                return builder.UseSqlite(string.IsNullOrWhiteSpace(connectionString) ? "Data Source=asyncfunctions.db" : connectionString);
            case "postgresql":
                return builder.UsePostgreSql(
                    Require(connectionString, "PostgreSql"),
                    o =>
                    {
                        configuration.GetSection(PostgreSqlProviderOptions.Section).Bind(o);
                        if (jobsElsewhere)
                        {
                            // No Hangfire tables in PostgreSQL when Redis holds the jobs.
                            o.HangfireSchema = HangfireSchemaSetup.External;
                            o.CreateJobsInOneTransaction = false;
                            o.RecordInJobTransaction = false;
                        }
                    });
            case "sqlserver":
                return builder.UseSqlServer(
                    Require(connectionString, "SqlServer"),
                    o =>
                    {
                        configuration.GetSection(SqlServerProviderOptions.Section).Bind(o);
                        if (jobsElsewhere)
                        {
                            o.HangfireSchema = HangfireSchemaSetup.External;
                        }
                    });
            default:
                throw new InvalidOperationException(
                    $"{ProviderKey} is '{provider}'; it must be Sqlite, PostgreSql or SqlServer.");
        }
    }

    internal static string Require(string? connectionString, string provider) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"{ConnectionStringKey} is required when {ProviderKey} is {provider}.")
            : connectionString;
}
