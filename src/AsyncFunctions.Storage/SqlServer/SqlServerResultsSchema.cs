using System.Data;
using DbUp;
using Microsoft.Data.SqlClient;

namespace AsyncFunctions.Storage.SqlServer;

/// <summary>The results schema of a SQL Server database: the scripts of db/sqlserver, applied at start-up by every node.</summary>
public static class SqlServerResultsSchema
{
    /// <summary>Name of the application lock that serializes migrations of all nodes.</summary>
    public const string MigrationLockResource = "AsyncFunctions.Migrations";

    /// <summary>
    /// Applies the scripts of db/sqlserver that this database has not seen yet, then
    /// <paramref name="alsoUnderLock"/> (the job storage's own schema, for instance) on a connection
    /// of its own, while holding an exclusive <c>sp_getapplock</c>: nodes starting together take
    /// turns and the later ones find nothing left to do.
    /// </summary>
    public static async Task MigrateAsync(string connectionString, Action<SqlConnection>? alsoUnderLock = null, CancellationToken cancellationToken = default)
    {
        var ownConnection = new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        await using var lockConnection = new SqlConnection(ownConnection);
        await lockConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await RunAsync(lockConnection, SqlServerDialect.AcquireMigrationLockSql, cancellationToken).ConfigureAwait(false);
        try
        {
            Apply(connectionString);
            if (alsoUnderLock is not null)
            {
                await using var own = new SqlConnection(ownConnection);
                await own.OpenAsync(cancellationToken).ConfigureAwait(false);
                alsoUnderLock(own);
            }
        }
        finally
        {
            await RunAsync(lockConnection, SqlServerDialect.ReleaseMigrationLockSql, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void Apply(string connectionString)
    {
        SchemaScripts.Apply(
            DeployChanges.To.SqlDatabase(connectionString).JournalToSqlTable("dbo", "af_schema_versions"),
            "SQL Server",
            "AsyncFunctions.SqlServer.Scripts.");
    }

    private static async Task RunAsync(SqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = 0, CommandType = CommandType.Text };
        command.Parameters.Add(new SqlParameter("@Resource", SqlDbType.NVarChar, 255) { Value = MigrationLockResource });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
