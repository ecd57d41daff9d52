using System.Data;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage.SqlServer;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;

namespace AsyncFunctions.SqlServer;

/// <summary>Brings the database up to date at start-up; several nodes may run it at once.</summary>
public static class SqlServerSchema
{
    /// <summary>Name of the application lock that serializes migrations of all nodes.</summary>
    public const string MigrationLockResource = "AsyncFunctions.Migrations";

    /// <summary>Takes the migration lock for the session; waits as long as the command may run.</summary>
    public const string AcquireLockSql = """
        DECLARE @result int;
        EXEC @result = sp_getapplock @Resource = @Resource, @LockMode = N'Exclusive', @LockOwner = N'Session', @LockTimeout = -1;
        IF @result < 0 THROW 50000, N'Could not take the AsyncFunctions migration lock.', 1;
        """;

    public const string ReleaseLockSql = "EXEC sp_releaseapplock @Resource = @Resource, @LockOwner = N'Session';";

    /// <summary>
    /// Applies the scripts of db/sqlserver that this database has not seen yet and, with
    /// <see cref="HangfireSchemaSetup.WithMigrations"/>, Hangfire's install script, while holding an
    /// exclusive <c>sp_getapplock</c>: nodes starting together take turns and the later ones find
    /// nothing left to do.
    /// </summary>
    public static async Task MigrateAsync(
        string connectionString,
        HangfireSchemaSetup hangfireSchema = HangfireSchemaSetup.WithMigrations,
        string hangfireSchemaName = "HangFire",
        CancellationToken cancellationToken = default)
    {
        var ownConnection = new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        await using var lockConnection = new SqlConnection(ownConnection);
        await lockConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await RunAsync(lockConnection, AcquireLockSql, cancellationToken).ConfigureAwait(false);
        try
        {
            SqlServerResultsSchema.Apply(connectionString);
            if (hangfireSchema == HangfireSchemaSetup.WithMigrations)
            {
                await using var hangfire = new SqlConnection(ownConnection);
                await hangfire.OpenAsync(cancellationToken).ConfigureAwait(false);
                SqlServerObjectsInstaller.Install(hangfire, hangfireSchemaName, enableHeavyMigrations: false);
            }
        }
        finally
        {
            await RunAsync(lockConnection, ReleaseLockSql, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hangfire's install script (it creates everything on an empty schema; on an existing one it
    /// skips the migrations that rebuild large tables, as Hangfire does by default) for <paramref name="hangfireSchemaName"/>, for a DBA to run when
    /// the application's login may not change the schema (<see cref="HangfireSchemaSetup.External"/>).
    /// </summary>
    public static string GetHangfireInstallScript(string hangfireSchemaName = "HangFire") =>
        SqlServerObjectsInstaller.GetInstallScript(hangfireSchemaName, enableHeavyMigrations: false);

    private static async Task RunAsync(SqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = 0, CommandType = CommandType.Text };
        command.Parameters.Add(new SqlParameter("@Resource", SqlDbType.NVarChar, 255) { Value = MigrationLockResource });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
