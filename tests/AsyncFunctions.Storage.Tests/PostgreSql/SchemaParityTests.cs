using AsyncFunctions.Storage.Tests.Fixtures;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// The PostgreSQL schema mirrors the SQLite one: the same tables, columns and index names, each
/// built by the migration scripts that ship. A script added for one database and not the other fails here.
/// </summary>
public sealed class SchemaParityTests(PostgreSqlStoreFixture postgres, SqliteStoreFixture sqlite)
    : IClassFixture<PostgreSqlStoreFixture>, IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task Tables_and_columns_match_sqlite()
    {
        Assert.Equal(await SqliteColumnsAsync(), await PostgreSqlColumnsAsync());
    }

    [Fact]
    public async Task Index_names_match_sqlite()
    {
        await using var sqliteConnection = new SqliteConnection(sqlite.ConnectionString);
        var sqliteIndexes = await sqliteConnection.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_af_%' ORDER BY name");
        await using var postgresConnection = new NpgsqlConnection(postgres.ConnectionString);
        var postgresIndexes = await postgresConnection.QueryAsync<string>(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ix\\_af\\_%' ORDER BY indexname");

        Assert.NotEmpty(sqliteIndexes);
        Assert.Equal(sqliteIndexes, postgresIndexes);
    }

    private async Task<string[]> SqliteColumnsAsync()
    {
        await using var connection = new SqliteConnection(sqlite.ConnectionString);
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'af\\_%' ESCAPE '\\'");
        var columns = new List<string>();
        foreach (var table in tables)
        {
            columns.AddRange((await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{table}')")).Select(c => $"{table}.{c}"));
        }

        return [.. columns.Order(StringComparer.Ordinal)];
    }

    private async Task<string[]> PostgreSqlColumnsAsync()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        var columns = await connection.QueryAsync<string>(
            "SELECT table_name || '.' || column_name FROM information_schema.columns " +
            "WHERE table_schema = current_schema() AND table_name LIKE 'af\\_%' AND table_name <> 'af_schema_versions'");
        return [.. columns.Order(StringComparer.Ordinal)];
    }
}
