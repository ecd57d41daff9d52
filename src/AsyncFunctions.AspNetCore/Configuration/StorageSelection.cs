using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Sqlite;
using AsyncFunctions.SqlServer;

namespace AsyncFunctions.AspNetCore.Configuration;

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
            case "postgresql":
                return builder.UsePostgreSql(
                    Require(connectionString, "PostgreSql"),
                    o => configuration.GetSection(PostgreSqlProviderOptions.Section).Bind(o));
            case "sqlserver":
                return builder.UseSqlServer(
                    Require(connectionString, "SqlServer"),
                    o => configuration.GetSection(SqlServerProviderOptions.Section).Bind(o));
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
