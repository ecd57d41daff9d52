using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.SqlServer;
using Hangfire;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// SQL Server, only with a connection string in <see cref="StorageCatalog.SqlServerVariable"/>:
/// a new database per host on that server (the login needs CREATE DATABASE), dropped afterwards.
/// Raw Hangfire gets Hangfire.SqlServer with the options the provider sets.
/// </summary>
public sealed class SqlServerBenchStorage(string adminConnectionString) : BenchStorage
{
    private static readonly SqlServerProviderOptions Provider = new();

    public override string Name => "sqlserver";

    public override string Settings =>
        $"the server given in {StorageCatalog.SqlServerVariable}; the provider's defaults: Hangfire.SqlServer with QueuePollInterval {Provider.QueuePollInterval} " +
        $"(zero: long polling), sliding invisibility {Provider.SlidingInvisibilityTimeout}; raw Hangfire.SqlServer with the same storage options; a new database per host";

    public override bool SharedAcrossHosts => true;

    public override async Task<string> NewDatabaseAsync()
    {
        var name = "afbench_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync($"CREATE DATABASE [{name}]").ConfigureAwait(false);
        return new SqlConnectionStringBuilder(adminConnectionString) { InitialCatalog = name }.ToString();
    }

    public override async Task ReleaseDatabaseAsync(string database)
    {
        SqlConnection.ClearAllPools();
        var name = new SqlConnectionStringBuilder(database).InitialCatalog;
        await ExecuteAsync($"ALTER DATABASE [{name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{name}]").ConfigureAwait(false);
    }

    public override void UsePlatform(AsyncFunctionsBuilder builder, string database) => builder.UseSqlServer(database);

    public override JobStorage CreateRawJobStorage(string database)
    {
        var options = Provider.ToHangfireOptions();
        options.PrepareSchemaIfNecessary = true;
        return new SqlServerStorage(database, options);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqlConnection(adminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
