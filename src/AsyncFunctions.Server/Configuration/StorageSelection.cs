using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Sqlite;

namespace AsyncFunctions.Server.Configuration;

/// <summary>Chooses the storage provider from <c>AsyncFunctions:Storage:Provider</c> and <c>ConnectionStrings:AsyncFunctions</c>.</summary>
public static class StorageSelection
{
    public const string ProviderKey = "AsyncFunctions:Storage:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:AsyncFunctions";

    public static AsyncFunctionsBuilder UseConfiguredStorage(this AsyncFunctionsBuilder builder, IConfiguration configuration)
    {
        var provider = configuration[ProviderKey] ?? "Sqlite";
        var connectionString = configuration[ConnectionStringKey];
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                return builder.UseSqlite(string.IsNullOrWhiteSpace(connectionString) ? "Data Source=asyncfunctions.db" : connectionString);
            default:
                throw new InvalidOperationException(
                    $"{ProviderKey} is '{provider}'; it must be Sqlite, PostgreSql or SqlServer.");
        }
    }

    internal static string Require(string? connectionString, string provider) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"{ConnectionStringKey} is required when {ProviderKey} is {provider}.")
            : connectionString;
}
