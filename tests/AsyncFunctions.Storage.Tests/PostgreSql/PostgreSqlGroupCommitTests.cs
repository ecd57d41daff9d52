using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.PostgreSql;
using AsyncFunctions.Storage.Tests.Fixtures;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// The group-committed row writes on a real PostgreSQL: many concurrent writers' creations and
/// status changes share commits and still leave every row complete and monotonic; a statement the
/// database rejects fails its own caller alone; a batch that fails as a whole fails every caller in
/// it and commits none of it; an await on another node wakes on the batch's commit.
/// </summary>
public sealed class PostgreSqlGroupCommitTests(PostgreSqlGroupCommitStoreFixture database) : IClassFixture<PostgreSqlGroupCommitStoreFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Concurrent_writers_share_commits_and_leave_every_row_complete_and_monotonic()
    {
        var dialect = database.CreatePostgreSqlDialect();
        var store = new DapperExecutionStore(dialect);
        var ids = Enumerable.Range(0, 300).Select(_ => NewId()).ToArray();
        var rejected = 0;

        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            var index = Array.IndexOf(ids, id);
            await store.CreateAsync(new NewExecution(id, "group.fn", null, ExecutionStatus.Enqueued, new JsonObject { ["i"] = index }, null, T0), ct);
            Assert.True(await store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Processing, T0.AddSeconds(1)), ct));
            Assert.True(await store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Succeeded, T0.AddSeconds(2)) { Output = JsonValue.Create(index) }, ct));

            // Late and repeated writes, as a retried Hangfire state change makes them: refused.
            if (await store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Processing, T0.AddSeconds(1)), ct))
            {
                Interlocked.Increment(ref rejected);
            }

            if (await store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Enqueued, T0), ct))
            {
                Interlocked.Increment(ref rejected);
            }
        });

        Assert.Equal(0, rejected);
        var results = await store.GetResultsAsync(ids);
        Assert.Equal(ids.Length, results.Count);
        foreach (var (id, index) in ids.Select((id, i) => (id, i)))
        {
            var record = (await store.GetAsync(id))!;
            Assert.Equal(ExecutionStatus.Succeeded, record.Status);
            Assert.Equal(1, record.Attempts);
            Assert.Equal(index, record.Output!.GetValue<int>());
            Assert.Equal(index, record.Input!["i"]!.GetValue<int>());
            Assert.Equal(T0.AddSeconds(1), record.StartedAt);
        }

        // Five writes per execution; with sixteen writers at once, many commits carried several.
        var writes = ids.Length * 5;
        Assert.InRange(dialect.Commits, 1, writes - 1);
    }

    [Fact]
    public async Task A_statement_the_database_rejects_fails_its_own_caller_and_the_rest_of_its_batch_commits()
    {
        var dialect = database.CreatePostgreSqlDialect();
        var store = new DapperExecutionStore(dialect);
        var ids = Enumerable.Range(0, 20).Select(_ => NewId()).ToArray();
        var poison = NewId();

        Task poisoned;
        Task[] beside;
        await using (var blocker = await HoldWritesAsync())
        {
            // The writer sends this one and waits for the lock; the rest queue behind it and go as one batch.
            var first = store.CreateAsync(New(NewId()));
            await WaitUntilWriterWaitsAsync();
            var before = ids.Take(10).Select(id => store.CreateAsync(New(id))).ToArray();
            poisoned = dialect.WriteRowAsync(dialect.CreateSql, Parameters(poison, input: "{not json"), CancellationToken.None);
            beside = [.. before, .. ids.Skip(10).Select(id => store.CreateAsync(New(id)))];
            await blocker.ReleaseAsync();
            await first.WaitAsync(Generous);
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => poisoned.WaitAsync(Generous));
        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
        await Task.WhenAll(beside).WaitAsync(Generous);
        Assert.Equal(ids.Length, (await store.GetResultsAsync(ids)).Count);
        Assert.Null(await store.GetAsync(poison));
    }

    [Fact]
    public async Task A_batch_that_fails_as_a_whole_fails_every_caller_in_it_and_commits_none_of_it()
    {
        var dialect = database.CreatePostgreSqlDialect();
        var store = new DapperExecutionStore(dialect);
        var ids = Enumerable.Range(0, 10).Select(_ => NewId()).ToArray();
        var first = NewId();

        Task[] writes;
        await using (var blocker = await HoldWritesAsync())
        {
            var stuck = store.CreateAsync(New(first));
            await WaitUntilWriterWaitsAsync();
            writes = [stuck, .. ids.Select(id => store.CreateAsync(New(id)))];

            // Every batch waits for the lock until its connection dies; the writers' next batches
            // (on new connections) wait and die too, until every write was in a failed batch.
            var deadline = DateTime.UtcNow + Generous;
            while (!writes.All(w => w.IsCompleted))
            {
                Assert.True(DateTime.UtcNow < deadline, "some writes neither failed nor waited");
                await TerminateWaitingWritersAsync();
                await Task.Delay(50);
            }

            foreach (var write in writes)
            {
                await Assert.ThrowsAnyAsync<NpgsqlException>(() => write);
            }

            await blocker.ReleaseAsync();
        }

        Assert.Empty(await store.GetResultsAsync([first, .. ids]));

        // Nothing is lost: the callers were told, and their writes made again land.
        await Task.WhenAll(ids.Select(id => store.CreateAsync(New(id)))).WaitAsync(Generous);
        Assert.Equal(ids.Length, (await store.GetResultsAsync(ids)).Count);
    }

    [Fact]
    public async Task An_await_on_another_node_wakes_when_a_batch_with_its_result_commits()
    {
        var never = TimeSpan.FromMinutes(10);
        var writer = new DapperExecutionStore(database.CreatePostgreSqlDialect());
        var reader = new DapperExecutionStore(database.CreatePostgreSqlDialect());
        using var awaiter = new ExecutionAwaiter(
            reader,
            Options.Create(new AwaitOptions { PollMinInterval = never, PollMaxInterval = never, MaxTimeout = never }),
            TimeProvider.System,
            NullLogger<ExecutionAwaiter>.Instance);
        using var listener = new PostgreSqlCompletionListener(
            database.ConnectionString, awaiter, TimeProvider.System, NullLogger<PostgreSqlCompletionListener>.Instance, TimeSpan.FromMilliseconds(500));
        await listener.StartAsync(CancellationToken.None);
        await listener.Listening.WaitAsync(Generous);
        try
        {
            var ids = Enumerable.Range(0, 8).Select(_ => NewId()).ToArray();
            await Task.WhenAll(ids.Select(id => writer.CreateAsync(New(id))));
            var waiting = awaiter.AwaitAsync(ids, Generous);

            await Task.WhenAll(ids.Select(id => writer.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Succeeded, T0.AddSeconds(1)) { Output = JsonValue.Create(id) })));
            var outcome = await waiting.WaitAsync(Generous);

            Assert.True(outcome.Completed);
            Assert.Equal(ids, outcome.Results.Select(r => r.Output!.GetValue<string>()));
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static NewExecution New(string id) => new(id, "group.fn", null, ExecutionStatus.Enqueued, new JsonObject { ["id"] = id }, null, T0);

    private static object Parameters(string id, string input) => new
    {
        Id = id,
        Function = "group.fn",
        FunctionVersion = (int?)null,
        Status = nameof(ExecutionStatus.Enqueued),
        Phase = ExecutionStatus.Enqueued.Phase(),
        At = T0.UtcDateTime,
        Input = input,
        ParentId = (string?)null,
        RootId = (string?)null,
        CallDepth = 0,
        CallerKey = (string?)null,
        CallerRole = (string?)null,
        LeaseExpiresAt = (object?)null,
        Schedule = (string?)null,
        ScheduledFor = (object?)null,
        Queue = "default",
    };

    /// <summary>Another session locks the results table against writes until released (reads go on).</summary>
    private async Task<Blocker> HoldWritesAsync()
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("LOCK TABLE af_executions IN EXCLUSIVE MODE", transaction: transaction);
        return new Blocker(connection, transaction);
    }

    private async Task WaitUntilWriterWaitsAsync()
    {
        var deadline = DateTime.UtcNow + Generous;
        while ((await WaitingWritersAsync()).Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer never waited for the lock");
            await Task.Delay(20);
        }
    }

    /// <summary>The sessions of this database waiting for a lock: the writers', while the table is held.</summary>
    private async Task<int[]> WaitingWritersAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        return (await connection.QueryAsync<int>(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")).ToArray();
    }

    private async Task TerminateWaitingWritersAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.ExecuteAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()");
    }

    private sealed class Blocker(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private bool _released;

        public async Task ReleaseAsync()
        {
            if (!_released)
            {
                _released = true;
                await transaction.RollbackAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await ReleaseAsync();
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
