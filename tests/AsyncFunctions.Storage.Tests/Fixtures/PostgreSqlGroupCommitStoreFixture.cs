using AsyncFunctions.Storage.PostgreSql;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>A database of its own, like <see cref="PostgreSqlStoreFixture"/>, whose dialects group-commit their row writes.</summary>
public sealed class PostgreSqlGroupCommitStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly PostgreSqlStoreFixture _database = new();
    private readonly List<PostgreSqlDialect> _dialects = [];

    public string ConnectionString => _database.ConnectionString;

    public string? SkipReason => null;

    public SqlDialect CreateDialect() => CreatePostgreSqlDialect();

    public SqlDialect CreateUnreachableDialect() =>
        Track(new PostgreSqlDialect(new NpgsqlConnectionStringBuilder(ConnectionString) { Port = ClosedPort.Find(), Timeout = 5 }.ToString(), groupCommit: true));

    public PostgreSqlDialect CreatePostgreSqlDialect() => Track(new PostgreSqlDialect(ConnectionString, groupCommit: true));

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var dialect in _dialects)
        {
            await dialect.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private PostgreSqlDialect Track(PostgreSqlDialect dialect)
    {
        lock (_dialects)
        {
            _dialects.Add(dialect);
        }

        return dialect;
    }
}
