using AsyncFunctions.Storage.Sqlite;
using AsyncFunctions.Storage;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>A temporary SQLite file migrated with the scripts of db/sqlite.</summary>
public sealed class SqliteStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly List<SqliteDialect> _dialects = [];
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"af-store-{Guid.NewGuid():N}.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true, DefaultTimeout = 30 }.ToString();

    public string? SkipReason => null;

    public SqlDialect CreateDialect() => Track(new SqliteDialect(ConnectionString));

    /// <summary>A file in a folder that does not exist: SQLite cannot create it.</summary>
    public SqlDialect CreateUnreachableDialect() =>
        Track(new SqliteDialect(new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetTempPath(), $"af-missing-{Guid.NewGuid():N}", "store.db") }.ToString()));

    public Task InitializeAsync()
    {
        SqliteResultsSchema.Apply(ConnectionString);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        lock (_dialects)
        {
            // Each dialect runs a writer thread of its own.
            _dialects.ForEach(d => d.Dispose());
        }

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    private SqliteDialect Track(SqliteDialect dialect)
    {
        lock (_dialects)
        {
            _dialects.Add(dialect);
        }

        return dialect;
    }
}
