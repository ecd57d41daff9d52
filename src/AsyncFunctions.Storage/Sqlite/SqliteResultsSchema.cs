using DbUp;
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

        SchemaScripts.Apply(DeployChanges.To.SqliteDatabase(connectionString), "SQLite", "AsyncFunctions.Sqlite.Scripts.");
    }
}
