using AsyncFunctions.Storage.Nodes;
using AsyncFunctions.Storage.SqlServer;
using Microsoft.Extensions.DependencyInjection;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using Hangfire.SqlServer;

namespace AsyncFunctions.SqlServer;

/// <summary>SQL Server for jobs and results.</summary>
public static class SqlServerStorageExtensions
{
    /// <summary>
    /// Jobs in Hangfire.SqlServer and results in <c>af_executions</c>, both in the database of
    /// <paramref name="connectionString"/>. Awaits learn of results written by other nodes through
    /// the awaiter's batched poll of the results table.
    /// </summary>
    public static AsyncFunctionsBuilder UseSqlServer(this AsyncFunctionsBuilder builder, string connectionString, Action<SqlServerProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new SqlServerProviderOptions();
        configure?.Invoke(options);
        options.Validate();
        var pooled = options.PooledConnectionString(connectionString);

        return builder.UseStorage(new StorageProvider
        {
            Name = "SqlServer",
            CreateJobStorage = _ =>
            {
                if (options.HangfireSchema == HangfireSchemaSetup.WithMigrations)
                {
                    // Hangfire.SqlServer reads its schema version when it is built (to pick its
                    // schema-dependent options); migrating first lets it find the schema on a fresh
                    // database instead of logging an error and falling back to slower settings.
                    // The start-up migration that runs later then finds nothing left to do.
                    SqlServerSchema.MigrateAsync(connectionString, options.HangfireSchema, options.HangfireSchemaName).GetAwaiter().GetResult();
                }

                return new SqlServerStorage(pooled, options.ToHangfireOptions());
            },
            CreateDialect = _ => new SqlServerDialect(pooled),
            MigrateAsync = async (_, cancellationToken) =>
            {
                await SqlServerSchema.MigrateAsync(connectionString, options.HangfireSchema, options.HangfireSchemaName, cancellationToken).ConfigureAwait(false);
                if (options.CheckConnectionLimit)
                {
                    await SqlServerConnectionCheck.RunAsync(pooled, options, cancellationToken).ConfigureAwait(false);
                }
            },
            CreateStaleQueueClaims = sp => new DapperStaleQueueClaims(sp.GetRequiredService<AsyncFunctions.Storage.SqlDialect>(), options.HangfireSchemaName),
        });
    }
}
