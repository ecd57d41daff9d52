using DbUp;
using Npgsql;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>The results schema of a PostgreSQL database: the scripts of db/postgresql, applied at start-up by every node.</summary>
public static class PostgreSqlResultsSchema
{
    /// <summary>Key of the session advisory lock that serializes migrations of all nodes.</summary>
    public const long MigrationLockKey = 0x4153_5946_4D49_4752; // "ASYFMIGR"

    /// <summary>
    /// Applies the scripts of db/postgresql that this database has not seen yet, then
    /// <paramref name="alsoUnderLock"/> (the job storage's own schema, for instance) on a connection
    /// of its own. The whole run holds <c>pg_advisory_lock</c>, so nodes starting together take turns
    /// and the later ones find nothing left to do.
    /// </summary>
    public static async Task MigrateAsync(string connectionString, Action<NpgsqlConnection>? alsoUnderLock = null, CancellationToken cancellationToken = default)
    {
        // A connection of its own, outside any pool: the lock belongs to its session and dies with it.
        var ownConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        await using var lockConnection = new NpgsqlConnection(ownConnectionString);
        await lockConnection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand(PostgreSqlDialect.TakeMigrationLockSql, lockConnection))
        {
            take.Parameters.AddWithValue("Key", MigrationLockKey);
            take.CommandTimeout = 0;
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            Apply(connectionString);
            if (alsoUnderLock is not null)
            {
                // A connection of its own keeps session settings of the step (search_path) from leaking.
                await using var own = new NpgsqlConnection(ownConnectionString);
                await own.OpenAsync(cancellationToken).ConfigureAwait(false);
                alsoUnderLock(own);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand(PostgreSqlDialect.ReleaseMigrationLockSql, lockConnection);
            release.Parameters.AddWithValue("Key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static void Apply(string connectionString)
    {
        SchemaScripts.Apply(
            DeployChanges.To.PostgresqlDatabase(connectionString).JournalToPostgresqlTable(null, "af_schema_versions"),
            "PostgreSQL",
            "AsyncFunctions.PostgreSql.Scripts.");
    }
}
