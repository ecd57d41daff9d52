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

            using var command = connection.CreateCommand();
            command.CommandText = SqliteDialect.JournalModeSql;
            command.ExecuteNonQuery();
        }

        SchemaScripts.Apply(DeployChanges.To.SqliteDatabase(connectionString), "SQLite", "AsyncFunctions.Sqlite.Scripts.");
    }
}
