using System.Reflection;
using DbUp;
using DbUp.Engine.Output;

namespace AsyncFunctions.Storage.SqlServer;

/// <summary>The results schema of a SQL Server database: the scripts of db/sqlserver.</summary>
public static class SqlServerResultsSchema
{
    /// <summary>
    /// Applies the scripts that this database has not seen yet. Not safe for several nodes at
    /// once by itself: the caller holds the migration lock.
    /// </summary>
    public static void Apply(string connectionString)
    {
        var result = DeployChanges.To.SqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith("AsyncFunctions.SqlServer.Scripts.", StringComparison.Ordinal))
            .JournalToSqlTable("dbo", "af_schema_versions")
            .WithTransactionPerScript()
            .LogTo(new NoOpUpgradeLog())
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Applying the SQL Server schema failed in {result.ErrorScript?.Name}: {result.Error?.Message}", result.Error);
        }
    }
}
