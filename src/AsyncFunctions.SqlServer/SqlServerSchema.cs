using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage.SqlServer;
using Hangfire.SqlServer;

namespace AsyncFunctions.SqlServer;

/// <summary>Brings the database up to date at start-up; several nodes may run it at once.</summary>
public static class SqlServerSchema
{
    /// <summary>
    /// Applies the results schema (<see cref="SqlServerResultsSchema"/>) and, with
    /// <see cref="HangfireSchemaSetup.WithMigrations"/>, Hangfire's install script under the same
    /// migration lock.
    /// </summary>
    public static Task MigrateAsync(
        string connectionString,
        HangfireSchemaSetup hangfireSchema = HangfireSchemaSetup.WithMigrations,
        string hangfireSchemaName = "HangFire",
        CancellationToken cancellationToken = default) =>
        SqlServerResultsSchema.MigrateAsync(
            connectionString,
            hangfireSchema == HangfireSchemaSetup.WithMigrations
                ? connection => SqlServerObjectsInstaller.Install(connection, hangfireSchemaName, enableHeavyMigrations: false)
                : null,
            cancellationToken);

    /// <summary>
    /// Hangfire's install script (it creates everything on an empty schema; on an existing one it
    /// skips the migrations that rebuild large tables, as Hangfire does by default) for
    /// <paramref name="hangfireSchemaName"/>, for a DBA to run when the application's login may not
    /// change the schema (<see cref="HangfireSchemaSetup.External"/>).
    /// </summary>
    public static string GetHangfireInstallScript(string hangfireSchemaName = "HangFire") =>
        SqlServerObjectsInstaller.GetInstallScript(hangfireSchemaName, enableHeavyMigrations: false);
}
