using System.Reflection;
using DbUp;
using DbUp.Engine.Output;

namespace AsyncFunctions.Storage.PostgreSql;

/// <summary>The results schema of a PostgreSQL database: the scripts of db/postgresql.</summary>
public static class PostgreSqlResultsSchema
{
    /// <summary>
    /// Applies the scripts that this database has not seen yet. Not safe for several nodes at
    /// once by itself: the caller holds the migration lock.
    /// </summary>
    public static void Apply(string connectionString)
    {
        var result = DeployChanges.To.PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith("AsyncFunctions.PostgreSql.Scripts.", StringComparison.Ordinal))
            .JournalToPostgresqlTable(null, "af_schema_versions")
            .WithTransactionPerScript()
            .LogTo(new NoOpUpgradeLog())
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Applying the PostgreSQL schema failed in {result.ErrorScript?.Name}: {result.Error?.Message}", result.Error);
        }
    }
}
