using System.Reflection;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using DbUp;
using DbUp.Engine.Output;
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
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();

            // WAL lets readers run beside the writer; it is a property of the file, so set it once here.
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }

        var result = DeployChanges.To.SqliteDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith("AsyncFunctions.Sqlite.Scripts.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new NoOpUpgradeLog())
            .Build()
            .PerformUpgrade();
        return result.Successful
            ? Task.CompletedTask
            : throw new InvalidOperationException($"Applying the SQLite schema failed in {result.ErrorScript?.Name}: {result.Error?.Message}", result.Error);
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
