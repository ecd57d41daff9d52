using System.Reflection;
using DbUp.Builder;
using DbUp.Engine.Output;

namespace AsyncFunctions.Storage;

/// <summary>Runs the embedded scripts of one db/&lt;dialect&gt; folder that a database has not seen yet, each in its own transaction.</summary>
internal static class SchemaScripts
{
    /// <param name="database">How the database is named in an error, e.g. "SQLite".</param>
    /// <param name="resourcePrefix">
    /// The scripts' resource prefix; DbUp's journal records the names, so they keep the names of
    /// the projects the scripts first shipped in.
    /// </param>
    public static void Apply(UpgradeEngineBuilder target, string database, string resourcePrefix)
    {
        var result = target
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => name.StartsWith(resourcePrefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new NoOpUpgradeLog())
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Applying the {database} schema failed in {result.ErrorScript?.Name}: {result.Error?.Message}", result.Error);
        }
    }
}
