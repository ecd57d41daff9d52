using System.Data.Common;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.Sqlite;
using AsyncFunctions.Storage.Tests.Fixtures;
using Dapper;

namespace AsyncFunctions.Storage.Tests.Sqlite;

/// <summary>
/// A status write that finds the SQLite writer idle is committed by its caller, without the
/// hand-off to the writer's thread and back; writes that overlap a batch still queue behind it and
/// are committed together, in the order they were queued.
/// </summary>
public sealed class SqliteWriterHandOffTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_write_that_finds_the_writer_idle_is_committed_before_the_call_returns()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);

        for (var i = 0; i < 20; i++)
        {
            var id = $"inline-{i}";
            var created = store.CreateAsync(new NewExecution(id, "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));
            Assert.True(created.IsCompletedSuccessfully, $"the insert of {id} was handed off");
            var processing = store.ApplyAsync(new StatusChange(id, "f", ExecutionStatus.Processing, At.AddSeconds(1)));
            Assert.True(processing.IsCompletedSuccessfully, $"the Processing write of {id} was handed off");
            Assert.True(await processing);
            await created;
        }

        Assert.Equal(40, dialect.CommittedByCallers);
        Assert.Equal(40, dialect.Commits);
        Assert.Equal(ExecutionStatus.Processing, (await store.GetAsync("inline-19"))!.Status);
    }

    [Fact]
    public async Task Writes_that_arrive_while_a_batch_commits_queue_behind_it_and_commit_together_in_order()
    {
        var dialect = (SqliteDialect)fixture.CreateDialect();
        var store = new DapperExecutionStore(dialect);
        await store.CreateAsync(new NewExecution("queued", "f", null, ExecutionStatus.Enqueued, new JsonObject(), null, At));
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // A write that holds the writer's connection until released.
        var holding = dialect.WriteAsync<int>((connection, transaction) =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return connection.ExecuteAsync(new CommandDefinition("UPDATE af_executions SET error_message = 'held' WHERE id = 'queued'", transaction: transaction));
        }, transactional: true, CancellationToken.None);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        var commitsBefore = dialect.Commits;
        var byCallersBefore = dialect.CommittedByCallers;

        var writes = new List<Task<bool>>();
        for (var i = 0; i < 10; i++)
        {
            writes.Add(dialect.WriteRowAsync(
                "UPDATE af_executions SET error_message = @Message WHERE id = @Id",
                new { Id = "queued", Message = $"m{i}" },
                CancellationToken.None));
        }

        Assert.All(writes, w => Assert.False(w.IsCompleted));
        release.Set();
        Assert.Equal(1, await holding);
        Assert.All(await Task.WhenAll(writes), Assert.True);

        Assert.Equal(byCallersBefore, dialect.CommittedByCallers);
        // The held batch commits, then the ten queued behind it in one transaction.
        Assert.Equal(2, dialect.Commits - commitsBefore);
        Assert.Equal("m9", await ReadMessageAsync("queued"));
    }

    [Fact]
    public async Task A_write_after_the_dialect_is_disposed_fails_and_opens_nothing()
    {
        var dialect = new SqliteDialect(fixture.ConnectionString);
        dialect.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            dialect.WriteRowAsync("UPDATE af_executions SET error_message = @Message WHERE id = @Id", new { Id = "none", Message = "m" }, CancellationToken.None));
        Assert.Equal(0, dialect.CommittedByCallers);
    }

    private async Task<string?> ReadMessageAsync(string id)
    {
        await using DbConnection connection = new Microsoft.Data.Sqlite.SqliteConnection(fixture.ConnectionString);
        return await connection.ExecuteScalarAsync<string?>("SELECT error_message FROM af_executions WHERE id = @id", new { id });
    }
}
