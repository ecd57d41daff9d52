using System.Data.Common;
using AsyncFunctions.FunctionStacks.Hosting;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.FunctionStacks.Data;

/// <summary>Creates the database connections of query steps by name: code registrations first, then configuration.</summary>
internal sealed class ConnectionOpener(FunctionStacksOptions options)
{
    public DbConnection? Create(string name)
    {
        if (options.ConnectionFactories.TryGetValue(name, out var factory))
        {
            return factory();
        }

        if (!options.Connections.TryGetValue(name, out var connection))
        {
            return null;
        }

        return IsBuiltIn(connection.Provider)
            ? new SqliteConnection(connection.ConnectionString)
            : throw new InvalidOperationException(
                $"The connection '{name}' names the provider '{connection.Provider}'; only 'sqlite' is built in. Register other drivers in FunctionStacksOptions.ConnectionFactories.");
    }

    public static bool IsBuiltIn(string? provider) => string.Equals(provider?.Trim(), "sqlite", StringComparison.OrdinalIgnoreCase);
}
