using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Running;
using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AsyncFunctions.Redis;

/// <summary>Redis for Hangfire's jobs, beside the results table of another provider.</summary>
public static class RedisJobStorageExtensions
{
    /// <summary>
    /// Jobs in Redis (Hangfire.Redis.StackExchange) at <paramref name="connectionString"/>
    /// (StackExchange.Redis' syntax, for example <c>localhost:6379</c>); results stay in the
    /// database chosen before: <c>o.UsePostgreSql(...).UseRedisJobs("localhost:6379")</c>.
    /// Redis should run with AOF (<c>appendonly yes</c>): without it a restart loses every queued job.
    /// </summary>
    public static AsyncFunctionsBuilder UseRedisJobs(this AsyncFunctionsBuilder builder, string connectionString, Action<RedisJobStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new RedisJobStorageOptions();
        configure?.Invoke(options);
        options.Validate();
        var configuration = ParseConnectionString(connectionString);

        // One multiplexer per node, made when Hangfire first needs its storage; it reconnects by
        // itself. The container owns it, so it is closed with the host: left to the finalizer,
        // a stopped host's connections and timers stayed alive until a collection ran.
        builder.Services.TryAddSingleton(_ => new RedisJobsConnection(ConnectionMultiplexer.Connect(configuration)));
        var db = options.Db ?? configuration.DefaultDatabase ?? 0;
        return builder.UseJobStorage(
            "Redis",
            sp =>
            {
                var functionTimeout = sp.GetRequiredService<IOptions<ExecutionOptions>>().Value.DefaultTimeout;
                var hangfire = options.ToHangfireOptions(configuration.DefaultDatabase ?? 0, functionTimeout);
                return new RedisStorage(sp.GetRequiredService<RedisJobsConnection>().Multiplexer, hangfire);
            },
            sp => new RedisStaleQueueClaims(
                () => sp.GetRequiredService<RedisJobsConnection>().Multiplexer.GetDatabase(db),
                () => sp.GetRequiredService<global::Hangfire.JobStorage>(),
                options.Prefix));
    }

    private static ConfigurationOptions ParseConnectionString(string connectionString)
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"The Redis connection string is not valid: {e.Message}", e);
        }

        if (configuration.EndPoints.Count == 0)
        {
            throw new InvalidOperationException("The Redis connection string names no server (for example localhost:6379).");
        }

        // Keep retrying at start-up instead of failing the node while Redis comes up.
        configuration.AbortOnConnectFail = false;
        // Hangfire's Redis calls are synchronous; StackExchange.Redis' 5 s default fails a start
        // with a timeout on a node starved of CPU. A syncTimeout in the connection string wins.
        if (!connectionString.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            configuration.SyncTimeout = (int)TimeSpan.FromSeconds(15).TotalMilliseconds;
        }
        return configuration;
    }
}
