using AsyncFunctions.Storage.SqlServer;
using AsyncFunctions.Storage;
using Microsoft.Data.SqlClient;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>
/// A throwaway database on the SQL Server named by <see cref="EnvironmentVariable"/>, migrated with
/// the scripts of db/sqlserver and dropped afterwards. Without the variable the tests are skipped.
/// Example: <c>Server=127.0.0.1,1433;User ID=sa;Password=...;TrustServerCertificate=true</c>.
/// </summary>
public sealed class SqlServerStoreFixture : IStoreFixture, IAsyncLifetime
{
    public const string EnvironmentVariable = "ASYNCFUNCTIONS_TEST_SQLSERVER";

    private readonly string? _given = Environment.GetEnvironmentVariable(EnvironmentVariable);
    private string? _database;

    public string ConnectionString { get; private set; } = "";

    public string? SkipReason => string.IsNullOrWhiteSpace(_given)
        ? $"SQL Server tests need a server: set {EnvironmentVariable} to a connection string (for example a local container)."
        : null;

    public SqlDialect CreateDialect() => new SqlServerDialect(ConnectionString);

    public SqlDialect CreateUnreachableDialect() =>
        new SqlServerDialect(new SqlConnectionStringBuilder(ConnectionString) { DataSource = $"127.0.0.1,{ClosedPort.Find()}", ConnectTimeout = 5 }.ToString());

    public async Task InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(_given))
        {
            return;
        }

        _database = $"af_store_{Guid.NewGuid():N}";
        await ExecuteOnMasterAsync($"CREATE DATABASE [{_database}]");
        ConnectionString = new SqlConnectionStringBuilder(_given) { InitialCatalog = _database }.ToString();
        await SqlServerResultsSchema.MigrateAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_database is null)
        {
            return;
        }

        SqlConnection.ClearAllPools();
        await ExecuteOnMasterAsync($"ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}];");
    }

    private async Task ExecuteOnMasterAsync(string sql)
    {
        var master = new SqlConnectionStringBuilder(_given) { InitialCatalog = "master" }.ToString();
        await using var connection = new SqlConnection(master);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
