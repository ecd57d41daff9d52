using AsyncFunctions.Storage.Sqlite;
using AsyncFunctions.Storage;
using AsyncFunctions.Sqlite;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Tests.Fixtures;

/// <summary>A temporary SQLite file migrated with the scripts of db/sqlite.</summary>
public sealed class SqliteStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"af-store-{Guid.NewGuid():N}.db");

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true, DefaultTimeout = 30 }.ToString();

    public string? SkipReason => null;

    public SqlDialect CreateDialect() => new SqliteDialect(ConnectionString);

    public Task InitializeAsync() => SqliteStorage.MigrateAsync(ConnectionString);

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }
}
