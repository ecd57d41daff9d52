using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Running;
using AsyncFunctions.Storage.Tests.Fixtures;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// Group-committed row writes made by callers that wait for them anyway (<see cref="WaitingCaller"/>,
/// as Hangfire's filters are on their own threads), on a real PostgreSQL: such a caller commits on
/// its own thread when a writer connection is free and gets a completed task; many of them at once
/// still leave every row complete and monotonic; a statement the database rejects fails that caller
/// alone. Such a caller also reads a row on its own thread. Callers without the mark keep handing their writes to
/// the writer threads (<see cref="PostgreSqlGroupCommitTests"/>).
/// </summary>
public sealed class PostgreSqlGroupCommitWaitingCallerTests(PostgreSqlGroupCommitStoreFixture database) : IClassFixture<PostgreSqlGroupCommitStoreFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_waiting_caller_commits_its_write_on_its_own_thread_and_gets_a_completed_task()
    {
        var dialect = database.CreatePostgreSqlDialect();
        var store = new DapperExecutionStore(dialect);
        var id = NewId();

        var (created, applied) = OnOwnThread(() =>
        {
            using (WaitingCaller.Begin())
            {
                // Completed before the caller waits: nothing was handed to a writer thread.
                var create = store.CreateAsync(New(id));
                var apply = store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Processing, T0.AddSeconds(1)));
                return (create.IsCompletedSuccessfully, apply.IsCompletedSuccessfully && apply.Result);
            }
        });

        Assert.True(created, "the creation was not committed on the caller's thread");
        Assert.True(applied, "the status write was not committed on the caller's thread");
        Assert.Equal(2, dialect.CommittedByCallers);
        Assert.Equal(ExecutionStatus.Processing, (await store.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task A_waiting_caller_reads_a_row_on_its_own_thread_and_gets_a_completed_task()
    {
        var store = new DapperExecutionStore(database.CreatePostgreSqlDialect());
        var id = NewId();
        await store.CreateAsync(New(id));

        var (completed, record) = OnOwnThread(() =>
        {
            using (WaitingCaller.Begin())
            {
                var read = store.GetAsync(id);
                var missing = store.GetAsync(NewId());
                return (read.IsCompletedSuccessfully && missing.IsCompletedSuccessfully && missing.Result is null, read.IsCompletedSuccessfully ? read.Result : null);
            }
        });

        Assert.True(completed, "the read was not made on the caller's thread");
        Assert.Equal(id, record!.Input!["id"]!.GetValue<string>());
        Assert.Equal(ExecutionStatus.Enqueued, record.Status);
    }

    [Fact]
    public void A_caller_without_the_mark_hands_its_write_to_the_writer_threads()
    {
        var dialect = database.CreatePostgreSqlDialect();
        var store = new DapperExecutionStore(dialect);
        var id = NewId();

        OnOwnThread(() =>
        {
            store.CreateAsync(New(id)).Wait(Generous);
            return true;
        });

        Assert.Equal(0, dialect.CommittedByCallers);
        Assert.Equal(1, dialect.Commits);
    }

    [Fact]
    public async Task Many_waiting_callers_at_once_leave_every_row_complete_and_monotonic()
    {
        var dialect = database.CreatePostgreSqlDialect();
        var store = new DapperExecutionStore(dialect);
        var ids = Enumerable.Range(0, 240).Select(_ => NewId()).ToArray();
        var next = -1;
        var wrongly = 0;

        // Sixteen threads, as many as a node's workers, each writing its executions as the state filter does.
        var threads = Enumerable.Range(0, 16).Select(_ => new Thread(() =>
        {
            using var waiting = WaitingCaller.Begin();
            int i;
            while ((i = Interlocked.Increment(ref next)) < ids.Length)
            {
                var id = ids[i];
                Wait(store.CreateAsync(new NewExecution(id, "group.fn", null, ExecutionStatus.Enqueued, new JsonObject { ["i"] = i }, null, T0)));
                var started = Wait(store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Processing, T0.AddSeconds(1))));
                var succeeded = Wait(store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Succeeded, T0.AddSeconds(2)) { Output = JsonValue.Create(i) }));

                // Late and repeated writes, as a retried Hangfire state change makes them: refused.
                var late = Wait(store.ApplyAsync(new StatusChange(id, "group.fn", ExecutionStatus.Processing, T0.AddSeconds(1))));
                if (!started || !succeeded || late)
                {
                    Interlocked.Increment(ref wrongly);
                }
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromMinutes(3)), "a writer thread did not finish");
        }

        Assert.Equal(0, wrongly);
        Assert.InRange(dialect.CommittedByCallers, 1, ids.Length * 4);
        foreach (var (id, index) in ids.Select((id, i) => (id, i)))
        {
            var record = (await store.GetAsync(id))!;
            Assert.Equal(ExecutionStatus.Succeeded, record.Status);
            Assert.Equal(1, record.Attempts);
            Assert.Equal(index, record.Output!.GetValue<int>());
            Assert.Equal(index, record.Input!["i"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task A_statement_the_database_rejects_fails_only_its_waiting_caller_and_the_next_write_commits_on_its_thread()
    {
        var dialect = database.CreatePostgreSqlDialect();
        var store = new DapperExecutionStore(dialect);
        var poison = NewId();
        var after = NewId();

        var (rejected, next) = OnOwnThread(() =>
        {
            using (WaitingCaller.Begin())
            {
                var bad = dialect.WriteRowAsync(dialect.CreateSql, Parameters(poison, input: "{not json"), CancellationToken.None);
                var good = store.CreateAsync(New(after));
                return (bad, good);
            }
        });

        Assert.True(rejected.IsCompleted, "the rejected write was handed to a writer thread");
        Assert.True(next.IsCompletedSuccessfully, "the write after the rejected one was handed to a writer thread");
        var error = await Assert.ThrowsAsync<PostgresException>(() => rejected);
        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, error.SqlState);
        Assert.Null(await store.GetAsync(poison));
        Assert.NotNull(await store.GetAsync(after));
        Assert.Equal(2, dialect.CommittedByCallers);
    }

    /// <summary>Runs <paramref name="body"/> on a thread of its own (not a thread-pool thread), as Hangfire's workers are.</summary>
    private static T OnOwnThread<T>(Func<T> body)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
#pragma warning disable CA1031 // Rethrown on the test's thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
            }
        });
        thread.Start();
        Assert.True(thread.Join(Generous), "the caller's thread did not finish");
        if (failure is not null)
        {
            throw new InvalidOperationException("The caller's thread failed.", failure);
        }

        return result;
    }

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

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
}
