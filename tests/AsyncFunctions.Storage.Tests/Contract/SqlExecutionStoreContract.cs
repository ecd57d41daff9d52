using System.Data.Common;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>
/// The results-table contract on a real database migrated with the scripts that ship, through
/// <see cref="DapperExecutionStore"/>, plus what only the SQL stores have (column widths, statement
/// parameter limits, a database to reach). Each provider adds a one-line sealed subclass.
/// </summary>
public abstract class SqlExecutionStoreContract(IStoreFixture fixture) : ExecutionStoreContract
{
    private SqlDialect? _dialect;

    protected IStoreFixture Fixture
    {
        get
        {
            Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
            return fixture;
        }
    }

    protected SqlDialect Dialect => _dialect ??= Fixture.CreateDialect();

    protected override IExecutionStore Store => new DapperExecutionStore(Dialect);

    protected override IExecutionStore NewNode() => new DapperExecutionStore(Fixture.CreateDialect());

    [SkippableFact]
    public async Task The_purge_takes_an_executions_logs_and_waits_with_it()
    {
        var store = Store;
        var logs = new DapperExecutionLogStore(Dialect);
        var at = new DateTimeOffset(2000, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var id = NewId();
        await store.CreateAsync(new NewExecution(id, "contract.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, at));
        await store.SuspendAsync(id, new Suspension("{}", [NewId(), NewId()], at.AddHours(1)), at.AddSeconds(1));
        await logs.AppendAsync(id, [new Logging.ExecutionLogEntry(at, "info", "one", null), new Logging.ExecutionLogEntry(at, "info", "two", null)]);
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Cancelled, at.AddSeconds(2)));

        Assert.Equal(1, await store.PurgeFinishedAsync(at.AddDays(1), 10));

        await using var connection = await Dialect.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM af_execution_logs WHERE execution_id = @id", new { id }));
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM af_execution_waits WHERE waiter_id = @id", new { id }));
        Assert.Null(await store.GetAsync(id));
    }

    [SkippableFact]
    public async Task A_failed_write_leaves_nothing_of_its_own_and_the_writes_beside_and_after_it_land()
    {
        var dialect = Dialect;
        var store = new DapperExecutionStore(dialect);
        var failing = NewId();
        var beside = Enumerable.Range(0, 20).Select(_ => NewId()).ToArray();

        // Alone, then among concurrent writes: the failed write's first statement is undone either way.
        foreach (var others in new[] { Array.Empty<string>(), beside })
        {
            var failed = dialect.WriteAsync<int>(
                async (connection, transaction) =>
                {
                    await Dapper.SqlMapper.ExecuteAsync(connection, dialect.CreateSql, CreateParameters(failing), transaction);
                    return await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO af_no_such_table (id) VALUES (1)", transaction: transaction);
                },
                transactional: true,
                CancellationToken.None);
            var landed = others.Select(id => CreateAsync(store, id)).ToArray();

            await Assert.ThrowsAnyAsync<DbException>(() => failed);
            await Task.WhenAll(landed);
            Assert.Null(await store.GetAsync(failing));
        }

        var after = NewId();
        await CreateAsync(store, after);
        Assert.NotNull(await store.GetAsync(after));
        Assert.Equal(beside.Length, (await store.GetResultsAsync(beside)).Count);
    }

    private object CreateParameters(string id) => new
    {
        Id = id,
        Function = "contract.fn",
        FunctionVersion = (int?)null,
        Status = nameof(ExecutionStatus.Enqueued),
        Phase = ExecutionStatus.Enqueued.Phase(),
        At = Dialect.ToDb(T0),
        Input = "{}",
        ParentId = (string?)null,
        RootId = (string?)null,
        CallDepth = 0,
        CallerKey = (string?)null,
        CallerRole = (string?)null,
        LeaseExpiresAt = (object?)null,
        Schedule = (string?)null,
        ScheduledFor = (object?)null,
        Queue = (string?)null,
    };

    [SkippableFact]
    public async Task An_overlong_error_code_or_type_is_cut_to_the_column_width_instead_of_failing_the_write()
    {
        var store = Store;
        var id = NewId();
        await CreateAsync(store, id);
        var code = "tests." + new string('c', 300);
        var type = "Type" + new string('t', 600);

        Assert.True(await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Failed, T0.AddSeconds(1))
        {
            Error = new ExecutionError(type, "long", code),
        }));

        var error = (await store.GetAsync(id))!.Error!;
        Assert.Equal(code[..DapperExecutionRecords.MaxErrorCodeLength], error.Code);
        Assert.Equal(type[..DapperExecutionRecords.MaxErrorTypeLength], error.Type);
    }

    [SkippableFact]
    public async Task Get_results_reads_more_ids_than_one_statement_may_carry()
    {
        var store = Store;
        var ids = Enumerable.Range(0, Dialect.MaxParameters + 7).Select(_ => NewId()).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
            await store.CreateAsync(new NewExecution(id, "contract.many", null, ExecutionStatus.Enqueued, new JsonObject { ["id"] = id }, null, T0), ct));
        await store.ApplyAsync(new StatusChange(ids[^1], "contract.many", ExecutionStatus.Succeeded, T0.AddSeconds(1)) { Output = JsonValue.Create("last") });
        var unknown = NewId();

        var results = await store.GetResultsAsync([.. ids, unknown, ids[0]]);

        Assert.Equal(ids.Length, results.Count);
        Assert.False(results.ContainsKey(unknown));
        Assert.Equal(ExecutionStatus.Enqueued, results[ids[0]].Status);
        Assert.Equal("last", results[ids[^1]].Output!.GetValue<string>());
        Assert.Empty(await store.GetResultsAsync([]));
    }

    [SkippableFact]
    public async Task Ping_succeeds_on_the_migrated_database_and_throws_when_the_database_cannot_be_reached()
    {
        await Store.PingAsync();

        var unreachable = new DapperExecutionStore(Fixture.CreateUnreachableDialect());
        await Assert.ThrowsAnyAsync<DbException>(() => unreachable.PingAsync());
    }
}
