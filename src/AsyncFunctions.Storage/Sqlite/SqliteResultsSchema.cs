using System.Reflection;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Sqlite;

/// <summary>The results schema of a SQLite file: the scripts of db/sqlite.</summary>
public static class SqliteResultsSchema
{
    /// <summary>Applies the scripts of db/sqlite that this database has not seen yet.</summary>
    public static void Apply(string connectionString)
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
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Applying the SQLite schema failed in {result.ErrorScript?.Name}: {result.Error?.Message}", result.Error);
        }
    }
}
