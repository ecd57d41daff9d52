using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.Sqlite;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite writer keeps each hot statement compiled on its connection: an execution's insert
/// and status writes bind new values into the same command instead of compiling the upsert again.
/// These tests hold it to that, and to what Dapper did before: NULLs, unnamed values, failures.
/// </summary>
public sealed class SqliteStatementReuseTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_executions_writes_compile_each_statement_once_however_many_executions_run()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);

        for (var i = 0; i < 40; i++)
        {
            var id = $"reuse-{i}";
            await store.CreateAsync(new NewExecution(id, "f", null, ExecutionStatus.Enqueued, new JsonObject { ["n"] = i }, null, At));
            Assert.True(await store.ApplyAsync(new StatusChange(id, "f", ExecutionStatus.Processing, At.AddSeconds(1))));
            Assert.True(await store.ApplyAsync(new StatusChange(id, "f", ExecutionStatus.Succeeded, At.AddSeconds(2)) { Output = new JsonObject { ["i"] = i } }));
        }

        // One command for the insert, one for the status upsert.
        Assert.Equal(2, dialect.StatementsBuilt);
        var last = await store.GetAsync("reuse-39");
        Assert.Equal(ExecutionStatus.Succeeded, last!.Status);
        Assert.Equal(39, last.Input!["n"]!.GetValue<int>());
        Assert.Equal(39, last.Output!["i"]!.GetValue<int>());
        Assert.Equal(1, last.Attempts);
    }

    [Fact]
    public async Task Null_values_are_stored_as_null_and_a_value_the_statement_does_not_name_is_ignored()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        await store.CreateAsync(new NewExecution("nulls", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));
        Assert.True(await store.ApplyAsync(new StatusChange("nulls", "f", ExecutionStatus.Failed, At.AddSeconds(1))
        {
            Error = new ExecutionError("Boom", "failed", "E1"),
        }));

        // The second write of the same statement sets a NULL where the first set a value: nothing of the first lingers.
        Assert.True(await dialect.WriteRowAsync(
            "UPDATE af_executions SET error_code = @ErrorCode, error_message = @Message WHERE id = @Id",
            new { Id = "nulls", ErrorCode = (string?)"E2", Message = (string?)"kept", Unused = 42 },
            CancellationToken.None));
        Assert.True(await dialect.WriteRowAsync(
            "UPDATE af_executions SET error_code = @ErrorCode, error_message = @Message WHERE id = @Id",
            new { Id = "nulls", ErrorCode = (string?)null, Message = (string?)"again", Unused = 43 },
            CancellationToken.None));

        await using var connection = new SqliteConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT error_code IS NULL, error_message FROM af_executions WHERE id = 'nulls'";
        await using var reader = await read.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal("again", reader.GetString(1));
    }

    [Fact]
    public async Task A_failed_write_reaches_its_caller_alone_and_the_statement_is_built_afresh()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        await store.CreateAsync(new NewExecution("before-failure", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));
        var built = dialect.StatementsBuilt;

        // function_name is NOT NULL: the insert path of the upsert fails inside SQLite.
        var failure = await Assert.ThrowsAsync<SqliteException>(() =>
            store.ApplyAsync(new StatusChange("no-function", null!, ExecutionStatus.Processing, At)));
        Assert.Contains("NOT NULL", failure.Message, StringComparison.OrdinalIgnoreCase);

        Assert.True(await store.ApplyAsync(new StatusChange("before-failure", "f", ExecutionStatus.Processing, At.AddSeconds(1))));
        Assert.Equal(ExecutionStatus.Processing, (await store.GetAsync("before-failure"))!.Status);
        Assert.Null(await store.GetAsync("no-function"));
        Assert.Equal(built + 2, dialect.StatementsBuilt);
    }

    [Fact]
    public async Task The_same_statement_with_another_shape_of_values_is_bound_by_name()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        await store.CreateAsync(new NewExecution("shapes", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));
        const string sql = "UPDATE af_executions SET error_message = @Message WHERE id = @Id";

        Assert.True(await dialect.WriteRowAsync(sql, new { Id = "shapes", Message = "first" }, CancellationToken.None));
        Assert.True(await dialect.WriteRowAsync(sql, new { Message = "second", Id = "shapes" }, CancellationToken.None));
        Assert.False(await dialect.WriteRowAsync(sql, new { Message = "none", Id = "missing" }, CancellationToken.None));

        Assert.Equal("second", await ReadMessageAsync("shapes"));
    }

    [Fact]
    public async Task Statement_texts_built_per_call_are_not_kept_without_bound()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        await store.CreateAsync(new NewExecution("texts", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));

        for (var i = 0; i < 100; i++)
        {
            Assert.True(await dialect.WriteRowAsync($"UPDATE af_executions SET error_message = @Message WHERE id = @Id AND {i} = {i}", new { Id = "texts", Message = $"m{i}" }, CancellationToken.None));
        }

        Assert.Equal("m99", await ReadMessageAsync("texts"));
        Assert.Equal(101, dialect.StatementsBuilt);
        Assert.True(dialect.KeptStatements <= 32, $"{dialect.KeptStatements} statements kept");
    }

    private async Task<string?> ReadMessageAsync(string id)
    {
        await using var connection = new SqliteConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT error_message FROM af_executions WHERE id = @id";
        read.Parameters.AddWithValue("@id", id);
        return (string?)await read.ExecuteScalarAsync();
    }
}
