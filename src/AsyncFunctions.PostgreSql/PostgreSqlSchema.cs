using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage.PostgreSql;
using Hangfire.PostgreSql;
using Npgsql;

namespace AsyncFunctions.PostgreSql;

/// <summary>Brings the database up to date at start-up; several nodes may run it at once.</summary>
public static class PostgreSqlSchema
{
    /// <summary>Key of the session advisory lock that serializes migrations of all nodes.</summary>
    public const long MigrationLockKey = 0x4153_5946_4D49_4752; // "ASYFMIGR"

    /// <summary>
    /// Applies the scripts of db/postgresql that this database has not seen yet and, with
    /// <see cref="HangfireSchemaSetup.WithMigrations"/>, Hangfire's own install scripts. The whole
    /// run holds <c>pg_advisory_lock</c>, so nodes starting together take turns and the later ones
    /// find nothing left to do.
    /// </summary>
    public static async Task MigrateAsync(
        string connectionString,
        HangfireSchemaSetup hangfireSchema = HangfireSchemaSetup.WithMigrations,
        string hangfireSchemaName = "hangfire",
        CancellationToken cancellationToken = default)
    {
        // A connection of its own, outside any pool: the lock belongs to its session and dies with it.
        var lockConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        await using var lockConnection = new NpgsqlConnection(lockConnectionString);
        await lockConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            take.CommandTimeout = 0;
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            PostgreSqlResultsSchema.Apply(connectionString);
            if (hangfireSchema == HangfireSchemaSetup.WithMigrations)
            {
                // Hangfire's installer sets search_path on its connection; a connection of its own keeps that from leaking.
                await using var hangfire = new NpgsqlConnection(lockConnectionString);
                await hangfire.OpenAsync(cancellationToken).ConfigureAwait(false);
                PostgreSqlObjectsInstaller.Install(hangfire, hangfireSchemaName);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
