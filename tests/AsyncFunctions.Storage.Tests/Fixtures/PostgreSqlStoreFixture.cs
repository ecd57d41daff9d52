using AsyncFunctions.Storage.PostgreSql;
using AsyncFunctions.Storage;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>A database of its own on the test server, migrated with the scripts of db/postgresql.</summary>
public sealed class PostgreSqlStoreFixture : IStoreFixture, IAsyncLifetime
{
    private PostgreSqlTestServer? _server;
    private readonly List<PostgreSqlDialect> _dialects = [];

    public string ConnectionString { get; private set; } = "";

    public string? SkipReason => null;

    public SqlDialect CreateDialect() => CreatePostgreSqlDialect();

    public SqlDialect CreateUnreachableDialect() =>
        CreatePostgreSqlDialect(new NpgsqlConnectionStringBuilder(ConnectionString) { Port = ClosedPort.Find(), Timeout = 5 }.ToString());

    public PostgreSqlDialect CreatePostgreSqlDialect() => CreatePostgreSqlDialect(ConnectionString);

    private PostgreSqlDialect CreatePostgreSqlDialect(string connectionString)
    {
        var dialect = new PostgreSqlDialect(connectionString);
        lock (_dialects)
        {
            _dialects.Add(dialect);
        }

        return dialect;
    }

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        ConnectionString = await _server.CreateDatabaseAsync("af_store");
        await PostgreSqlResultsSchema.MigrateAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        foreach (var dialect in _dialects)
        {
            await dialect.DisposeAsync();
        }

        if (_server is not null && ConnectionString.Length > 0)
        {
            await _server.DropDatabaseAsync(ConnectionString);
        }
    }
}
