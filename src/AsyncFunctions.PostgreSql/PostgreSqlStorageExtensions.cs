using AsyncFunctions.Storage.Nodes;
using AsyncFunctions.Storage.PostgreSql;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Hangfire.Storage;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.PostgreSql;

/// <summary>PostgreSQL for jobs and results: the provider for several nodes.</summary>
public static class PostgreSqlStorageExtensions
{
    private const string ProviderName = "PostgreSql";

    /// <summary>
    /// Jobs in Hangfire.PostgreSql and results in <c>af_executions</c>, both in the database of
    /// <paramref name="connectionString"/>. Every node also listens for finished executions, so
    /// an await wakes as soon as any node commits the result.
    /// </summary>
    public static AsyncFunctionsBuilder UsePostgreSql(this AsyncFunctionsBuilder builder, string connectionString, Action<PostgreSqlProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new PostgreSqlProviderOptions();
        configure?.Invoke(options);
        options.Validate();

        if (options.ListenForCompletions)
        {
            builder.Services.AddHostedService(sp => new PostgreSqlCompletionListener(
                connectionString,
                sp.GetRequiredService<ICompletionPublisher>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<PostgreSqlCompletionListener>>(),
                options.ListenerMaxReconnectDelay));
        }

        // One listener per node wakes its idle workers when a job is enqueued anywhere.
        builder.Services.TryAddSingleton<JobArrivals>();
        if (options.EnableLongPolling)
        {
            builder.Services.AddHostedService(sp => new JobArrivalListener(
                connectionString,
                sp.GetRequiredService<JobArrivals>(),
                () => !JobsElsewhere(sp) && sp.GetRequiredService<IOptions<ServerOptions>>().Value.WorkerCount > 0,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<JobArrivalListener>>(),
                options.ListenerMaxReconnectDelay));
        }

        var oneTransaction = options.OneTransactionStarts;
        // Where another storage holds the jobs nothing joins a job's transaction: the writes are
        // group-committed unless told otherwise, whatever the one-transaction settings say.
        builder.Services.TryAddSingleton(sp => new PostgreSqlDialect(
            connectionString,
            enlist: options.SharesResultsPool && !JobsElsewhere(sp),
            groupCommit: options.GroupCommitWrites ?? JobsElsewhere(sp),
            maxPoolSize: options.MaxPoolSize,
            notifyAfterCommit: options.BatchCompletionNotifications));
        return builder.UseStorage(new StorageProvider
        {
            Name = ProviderName,
            // Hangfire takes its connections from the results store's pool: one pool per node,
            // bounded by MaxPoolSize, instead of one per connection string with 100 each.
            CreateJobStorage = sp =>
            {
                var hangfire = options.ToHangfireOptions();
                var connections = new SharedPoolConnectionFactory(sp.GetRequiredService<PostgreSqlDialect>());
                var arrivals = sp.GetRequiredService<JobArrivals>();
                return options.RecordInJobTransaction
                    ? new RecordingPostgreSqlStorage(connections, hangfire, arrivals)
                    : new PromptLockPostgreSqlStorage(connections, hangfire, arrivals);
            },
            CreateDialect = sp => sp.GetRequiredService<PostgreSqlDialect>(),
            CreatesJobsInTransactionScope = oneTransaction,
            CreateStaleQueueClaims = sp => new DapperStaleQueueClaims(sp.GetRequiredService<PostgreSqlDialect>(), options.HangfireSchemaName),
            MigrateAsync = async (sp, cancellationToken) =>
            {
                await PostgreSqlSchema.MigrateAsync(connectionString, options.HangfireSchema, options.HangfireSchemaName, cancellationToken).ConfigureAwait(false);
                if (options.CheckConnectionLimit)
                {
                    await PostgreSqlConnectionCheck.RunAsync(sp, options, cancellationToken).ConfigureAwait(false);
                }
            },
        });
    }

    /// <summary>Whether another storage holds the jobs (<c>UseRedisJobs</c> replaced this provider's).</summary>
    private static bool JobsElsewhere(IServiceProvider services) =>
        services.GetService<StorageProvider>() is { Name: var name } && name != ProviderName;
}
