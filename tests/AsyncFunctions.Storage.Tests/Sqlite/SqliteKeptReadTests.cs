using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.Sqlite;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.Storage.Tests.Sqlite;

/// <summary>
/// The row read before every run goes to a kept reading connection with its query compiled once,
/// instead of a pooled connection that compiles it on every read. It must read what a fresh
/// connection reads: the last commit, nothing for a missing row, and recover from a failed query.
/// </summary>
public sealed class SqliteKeptReadTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reading_rows_one_after_another_compiles_the_query_once_on_one_connection()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        for (var i = 0; i < 30; i++)
        {
            await store.CreateAsync(new NewExecution($"read-{i}", "f", 2, ExecutionStatus.Enqueued, new JsonObject { ["n"] = i }, null, At));
        }

        for (var i = 0; i < 30; i++)
        {
            var row = await store.GetAsync($"read-{i}");
            Assert.Equal(i, row!.Input!["n"]!.GetValue<int>());
            Assert.Equal(2, row.FunctionVersion);
            Assert.Equal(At, row.CreatedAt);
        }

        Assert.Equal(1, dialect.ReadConnectionsOpened);
        Assert.Equal(1, dialect.QueriesBuilt);
    }

    [Fact]
    public async Task A_kept_connection_reads_each_new_commit_and_nothing_for_a_missing_row()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        Assert.Null(await store.GetAsync("fresh"));

        await store.CreateAsync(new NewExecution("fresh", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));
        Assert.Equal(ExecutionStatus.Enqueued, (await store.GetAsync("fresh"))!.Status);

        Assert.True(await store.ApplyAsync(new StatusChange("fresh", "f", ExecutionStatus.Processing, At.AddSeconds(1))));
        var processing = await store.GetAsync("fresh");
        Assert.Equal(ExecutionStatus.Processing, processing!.Status);
        Assert.Equal(1, processing.Attempts);

        // A commit through another connection than the dialect's writer is read as well.
        await using (var other = new SqliteConnection(fixture.ConnectionString))
        {
            await other.OpenAsync();
            await using var update = other.CreateCommand();
            update.CommandText = "UPDATE af_executions SET status = 'Succeeded', output = '{\"x\":1}' WHERE id = 'fresh'";
            await update.ExecuteNonQueryAsync();
        }

        var succeeded = await store.GetAsync("fresh");
        Assert.Equal(ExecutionStatus.Succeeded, succeeded!.Status);
        Assert.Equal(1, succeeded.Output!["x"]!.GetValue<int>());
        Assert.Equal(1, dialect.ReadConnectionsOpened);
    }

    [Fact]
    public async Task A_failed_query_reaches_its_caller_and_the_next_read_works()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        await store.CreateAsync(new NewExecution("after-failure", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));

        await store.CreateAsync(new NewExecution("second-row", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));
        await Assert.ThrowsAsync<SqliteException>(() => dialect.ReadRowAsync<ExecutionRow>("SELECT no_such_column FROM af_executions WHERE id = @Id", new { Id = "after-failure" }, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => dialect.ReadRowAsync<ExecutionRow>("SELECT id FROM af_executions WHERE @Id IS NOT NULL", new { Id = "any" }, CancellationToken.None));
        Assert.Equal("after-failure", await dialect.ReadRowAsync<string>("SELECT id FROM af_executions WHERE id = @Id", new { Id = "after-failure" }, CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("after-failure", cancelled.Token));

        Assert.Equal(ExecutionStatus.Enqueued, (await store.GetAsync("after-failure"))!.Status);
    }

    [Fact]
    public async Task Overlapping_reads_each_get_a_connection_and_at_most_a_few_stay_open()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        await store.CreateAsync(new NewExecution("shared", "f", null, ExecutionStatus.Enqueued, new JsonObject { ["v"] = "x" }, null, At));

        var readers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal("x", (await store.GetAsync("shared"))!.Input!["v"]!.GetValue<string>());
            }
        }));
        await Task.WhenAll(readers);

        Assert.InRange(dialect.ReadConnectionsOpened, 1, 16);
        Assert.InRange(dialect.QueriesBuilt, 1, SqliteReadConnections.MaxIdle);
    }
}
