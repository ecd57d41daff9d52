using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Sqlite;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>The embedded default: Hangfire.InMemory jobs, SQLite results; a new database file per host.</summary>
public sealed class SqliteBenchStorage : BenchStorage
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "asyncfunctions-bench-" + Guid.NewGuid().ToString("N")[..8]);

    public override string Name => "sqlite";

    public override string Settings =>
        "Hangfire.InMemory (IdType = Guid) for jobs; SQLite results file in WAL mode, synchronous=NORMAL (the provider's settings), a new file per host in the temp folder";

    public override Task<string> NewDatabaseAsync()
    {
        Directory.CreateDirectory(_folder);
        var file = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".db");
        return Task.FromResult(new SqliteConnectionStringBuilder { DataSource = file }.ToString());
    }

    public override void UsePlatform(AsyncFunctionsBuilder builder, string database) => builder.UseSqlite(database);

    public override JobStorage CreateRawJobStorage(string database) =>
        new InMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Guid });

    public override Task ReleaseDatabaseAsync(string database)
    {
        using (var connection = new SqliteConnection(database))
        {
            SqliteConnection.ClearPool(connection);
        }

        var file = new SqliteConnectionStringBuilder(database).DataSource;
        foreach (var path in new[] { file, file + "-wal", file + "-shm" })
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pool being torn down; the temp folder is cleaned eventually.
        }

        return base.DisposeAsync();
    }
}
