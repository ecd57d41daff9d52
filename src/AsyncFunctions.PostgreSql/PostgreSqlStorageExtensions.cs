using AsyncFunctions.Storage.PostgreSql;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.PostgreSql;

/// <summary>PostgreSQL for jobs and results: the provider for several nodes.</summary>
public static class PostgreSqlStorageExtensions
{
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

        var oneTransaction = options.CreateJobsInOneTransaction;
        var sharedPool = options.SharesResultsPool;
        builder.Services.TryAddSingleton(_ => new PostgreSqlDialect(connectionString, enlist: sharedPool));
        return builder.UseStorage(new StorageProvider
        {
            Name = "PostgreSql",
            CreateJobStorage = sp =>
            {
                var hangfire = options.ToHangfireOptions();
                IConnectionFactory connections = sharedPool
                    ? new SharedPoolConnectionFactory(sp.GetRequiredService<PostgreSqlDialect>())
                    : new NpgsqlConnectionFactory(connectionString, hangfire);
                return options.RecordInJobTransaction
                    ? new RecordingPostgreSqlStorage(connections, hangfire)
                    : new PostgreSqlStorage(connections, hangfire);
            },
            CreateDialect = sp => sp.GetRequiredService<PostgreSqlDialect>(),
            CreatesJobsInTransactionScope = oneTransaction,
            MigrateAsync = (_, cancellationToken) => PostgreSqlSchema.MigrateAsync(connectionString, options.HangfireSchema, options.HangfireSchemaName, cancellationToken),
        });
    }
}
