using System.Collections.Frozen;
using SQLitePCL;

namespace AsyncFunctions.FunctionStacks.Data;

/// <summary>
/// The SQLite authorizer of query steps: statements that reach beyond the connection's own
/// database (ATTACH, and VACUUM, which attaches its target) or change the connection's settings
/// (PRAGMA) are refused while they are prepared, before anything runs.
/// </summary>
internal static class SqliteStatementRules
{
    // The action codes of sqlite3_set_authorizer (sqlite3.h); SQLitePCL.raw names only some of them.
    private const int Pragma = 19;
    private const int Attach = 24;
    private const int Detach = 25;
    private const int Function = 31;

    /// <summary>
    /// Pragmas that only describe the schema. SQLite authorizes the table-valued forms
    /// (<c>pragma_table_info('t')</c>) as pragmas too, so these keep both readable.
    /// </summary>
    private static readonly FrozenSet<string> SchemaPragmas = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list");

    private static readonly delegate_authorizer Rule = Authorize;

    /// <summary>Installs the rules; <paramref name="refused"/> runs whenever they refuse a statement.</summary>
    public static void Install(sqlite3 database, Action refused) => raw.sqlite3_set_authorizer(database, Rule, refused);

    private static int Authorize(object userData, int action, utf8z first, utf8z second, utf8z database, utf8z trigger)
    {
        var allowed = action switch
        {
            Attach or Detach => false,
            Pragma => SchemaPragmas.Contains(first.utf8_to_string() ?? ""),

            // Extension loading is off on these connections anyway; refusing the function makes the refusal explicit.
            Function => !string.Equals(second.utf8_to_string(), "load_extension", StringComparison.OrdinalIgnoreCase),
            _ => true,
        };

        if (allowed)
        {
            return raw.SQLITE_OK;
        }

        ((Action)userData)();
        return raw.SQLITE_DENY;
    }
}
