using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Startup;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage.Sqlite;
using Hangfire.InMemory;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.Sqlite;

/// <summary>The embedded default: no database server needed.</summary>
public static class SqliteStorage
{
    /// <summary>Hangfire.InMemory's own cap on expirations, kept unless configured otherwise.</summary>
    private static readonly TimeSpan InMemoryDefaultExpiration = new InMemoryStorageOptions().MaxExpirationTime ?? TimeSpan.FromHours(3);

    /// <summary>
    /// Jobs in Hangfire.InMemory with GUID ids, results in the SQLite file of
    /// <paramref name="connectionString"/> (for example <c>Data Source=asyncfunctions.db</c>).
    /// </summary>
    public static AsyncFunctionsBuilder UseSqlite(this AsyncFunctionsBuilder builder, string connectionString)
    {
        var normalized = Normalize(connectionString);
        var dialect = new SqliteDialect(normalized);
        return builder.UseStorage(new StorageProvider
        {
            Name = "Sqlite",
            // The in-memory storage caps every expiration at its MaxExpirationTime (3 hours unless set):
            // AsyncFunctions:Retention:JobExpiration sets it, and the records' retention bounds it.
            CreateJobStorage = sp => new InMemoryStorage(new InMemoryStorageOptions
            {
                IdType = InMemoryStorageIdType.Guid,
                MaxExpirationTime = sp.GetRequiredService<IOptions<RetentionOptions>>().Value.JobExpirationOr(InMemoryDefaultExpiration),
            }),
            CreateDialect = _ => dialect,
            MigrateAsync = (_, _) => MigrateAsync(normalized),
            JobsSurviveRestart = false,
        });
    }

    /// <summary>Applies the scripts of db/sqlite that this database has not seen yet.</summary>
    public static Task MigrateAsync(string connectionString)
    {
        SqliteResultsSchema.Apply(connectionString);
        return Task.CompletedTask;
    }

    private static string Normalize(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return builder.ToString();
    }
}
