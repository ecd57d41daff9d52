using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage.Sqlite;
using Hangfire.InMemory;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Sqlite;

/// <summary>The embedded default: no database server needed.</summary>
public static class SqliteStorage
{
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
            CreateJobStorage = _ => new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Guid }),
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
