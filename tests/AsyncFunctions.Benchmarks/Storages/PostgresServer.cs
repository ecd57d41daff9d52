using AsyncFunctions.Storage.Tests.Fixtures;
using Npgsql;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>
/// The PostgreSQL server of a run: the one in <see cref="StorageCatalog.PostgresVariable"/>, or a
/// throw-away one started by the tests' <see cref="PostgreSqlTestServer"/> (whose source is
/// compiled in here) with the server's default durability (fsync and synchronous_commit on),
/// stopped and deleted at the end.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly PostgreSqlTestServer _server;

    private PostgresServer(PostgreSqlTestServer server) => _server = server;

    public string Description => _server.Description;

    public static async Task<PostgresServer> StartAsync() =>
        new(await PostgreSqlTestServer.StartAsync(StorageCatalog.PostgresVariable, durable: true, MaxConnections()).ConfigureAwait(false));

    private static int MaxConnections() =>
        int.TryParse(Environment.GetEnvironmentVariable(StorageCatalog.PostgresMaxConnectionsVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : 300;

    public async Task<string> CreateDatabaseAsync()
    {
        var database = await _server.CreateDatabaseAsync("afbench").ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(database) { MaxPoolSize = 100 }.ToString();
    }

    public Task DropDatabaseAsync(string name) =>
        _server.DropDatabaseAsync(new NpgsqlConnectionStringBuilder(_server.AdminConnectionString) { Database = name }.ToString());

    /// <summary>Committed transactions of one database so far (pg_stat_database.xact_commit).</summary>
    public async Task<long> CommitsAsync(string database)
    {
        var connection = new NpgsqlConnection(_server.AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = @name", connection);
            command.Parameters.AddWithValue("name", database);
            return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false) ?? 0L);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
