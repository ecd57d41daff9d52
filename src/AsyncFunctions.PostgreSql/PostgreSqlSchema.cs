using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage.PostgreSql;
using Hangfire.PostgreSql;

namespace AsyncFunctions.PostgreSql;

/// <summary>Brings the database up to date at start-up; several nodes may run it at once.</summary>
public static class PostgreSqlSchema
{
    /// <summary>
    /// Applies the results schema (<see cref="PostgreSqlResultsSchema"/>) and, with
    /// <see cref="HangfireSchemaSetup.WithMigrations"/>, Hangfire's own install scripts under the
    /// same migration lock.
    /// </summary>
    public static Task MigrateAsync(
        string connectionString,
        HangfireSchemaSetup hangfireSchema = HangfireSchemaSetup.WithMigrations,
        string hangfireSchemaName = "hangfire",
        CancellationToken cancellationToken = default) =>
        PostgreSqlResultsSchema.MigrateAsync(
            connectionString,
            hangfireSchema == HangfireSchemaSetup.WithMigrations ? connection => PostgreSqlObjectsInstaller.Install(connection, hangfireSchemaName) : null,
            cancellationToken);
}
