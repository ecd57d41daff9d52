using System.Reflection;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Running;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// On PostgreSQL a start writes its execution row in the transaction that applies its Hangfire
/// job's first state (<c>RecordInJobTransaction</c>), or in the one transaction that creates the whole job
/// (<c>CreateJobsInOneTransaction</c>): a failure after the row was written leaves no row.
/// </summary>
public sealed class OneTransactionStartTests : IAsyncLifetime
{
    private PostgreSqlTestServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync("af_onetx");
    }

    public Task DisposeAsync() => _server.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task The_row_and_the_job_are_written_by_one_transaction()
    {
        await using var host = await StartHostAsync(oneTransaction: true);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await host.GetRequiredService<IExecutionService>().StartAsync(new StartRequest("t.noop", new JsonObject()))).Id);
        }

        ids.AddRange((await host.GetRequiredService<IExecutionService>().StartManyAsync([.. Enumerable.Range(0, 5).Select(_ => new StartRequest("t.noop", new JsonObject()))])).Select(r => r.Id));

        foreach (var id in ids)
        {
            var (row, job) = await TransactionIdsAsync(id);
            Assert.Equal(row, job);
            // The queue entry, and with it the NOTIFY that wakes the workers, commits in that same transaction.
            Assert.Equal(job, await QueueEntryTransactionAsync(id));
        }
    }

    /// <summary>The transaction that wrote the job's queue entry (no worker runs here, so it is still there).</summary>
    private async Task<string> QueueEntryTransactionAsync(string id)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xmin::text FROM hangfire.jobqueue WHERE jobid = CAST(@id AS bigint)", connection);
        command.Parameters.AddWithValue("id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task With_RecordInJobTransaction_the_row_commits_with_the_jobs_first_state()
    {
        await using var host = await StartHostAsync(oneTransaction: false);
        var ids = new List<string> { (await host.GetRequiredService<IExecutionService>().StartAsync(new StartRequest("t.noop", new JsonObject()))).Id };
        ids.AddRange((await host.GetRequiredService<IExecutionService>().StartManyAsync([.. Enumerable.Range(0, 5).Select(_ => new StartRequest("t.noop", new JsonObject()))])).Select(r => r.Id));

        foreach (var id in ids)
        {
            // The job's row was last written by its Enqueued state's transaction, which also inserted the row.
            var (row, job) = await TransactionIdsAsync(id);
            Assert.Equal(row, job);
        }
    }

    [Fact]
    public async Task Without_either_the_row_commits_before_the_job()
    {
        await using var host = await StartHostAsync(oneTransaction: false, recordInJobTransaction: false);
        var id = (await host.GetRequiredService<IExecutionService>().StartAsync(new StartRequest("t.noop", new JsonObject()))).Id;

        var (row, job) = await TransactionIdsAsync(id);
        Assert.NotEqual(row, job);
    }

    [Fact]
    public async Task A_failure_after_the_row_was_written_rolls_back_the_row_and_the_job()
    {
        await using var host = await StartHostAsync(oneTransaction: true, failAfterInsert: true);

        await Assert.ThrowsAnyAsync<Exception>(() => host.GetRequiredService<IExecutionService>().StartAsync(new StartRequest("t.noop", new JsonObject())));

        Assert.Equal((0L, 0L), await CountRowsAndJobsAsync());
    }

    [Fact]
    public async Task With_RecordInJobTransaction_such_a_failure_leaves_no_row_and_a_job_without_state()
    {
        await using var host = await StartHostAsync(oneTransaction: false, failAfterInsert: true);

        await Assert.ThrowsAnyAsync<Exception>(() => host.GetRequiredService<IExecutionService>().StartAsync(new StartRequest("t.noop", new JsonObject())));

        // Hangfire allocated the job's id in a transaction of its own; that job has no state, is
        // in no queue, and expires.
        Assert.Equal((0L, 1L), await CountRowsAndJobsAsync());
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM hangfire.jobqueue"));
    }

    [Fact]
    public async Task Without_either_such_a_failure_leaves_a_row_behind()
    {
        await using var host = await StartHostAsync(oneTransaction: false, recordInJobTransaction: false, failAfterInsert: true);

        await Assert.ThrowsAnyAsync<Exception>(() => host.GetRequiredService<IExecutionService>().StartAsync(new StartRequest("t.noop", new JsonObject())));

        Assert.Equal(1L, (await CountRowsAndJobsAsync()).Rows);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The transaction that last wrote the execution's row and its Hangfire job (PostgreSQL's xmin).</summary>
    private async Task<(string Row, string Job)> TransactionIdsAsync(string id)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT xmin::text FROM af_executions WHERE id = @id), (SELECT xmin::text FROM hangfire.job WHERE id = CAST(@id AS bigint))", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1));
    }

    private async Task<(long Rows, long Jobs)> CountRowsAndJobsAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (SELECT count(*) FROM af_executions), (SELECT count(*) FROM hangfire.job)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The PostgreSQL provider's services without workers, the schemas migrated.</summary>
    private async Task<ServiceProvider> StartHostAsync(bool oneTransaction, bool failAfterInsert = false, bool recordInJobTransaction = true)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        if (failAfterInsert)
        {
            services.AddSingleton<IExecutionStore>(sp => FailingAfterInsert.Create(new DapperExecutionStore(sp.GetRequiredService<SqlDialect>())));
        }

        services.AddAsyncFunctions(o => o
            .UsePostgreSql(_connectionString, p => (p.CreateJobsInOneTransaction, p.RecordInJobTransaction, p.ListenForCompletions) = (oneTransaction, recordInJobTransaction, false))
            .AddFunction<NoOp>("t.noop"));
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<StorageProvider>().MigrateAsync(provider, CancellationToken.None);
        return provider;
    }

    private sealed class NoOp : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) => Task.FromResult<JsonNode?>(null);
    }

    /// <summary>The real store, whose insert of a new row fails after the row was written.</summary>
    public class FailingAfterInsert : DispatchProxy
    {
        private IExecutionStore _inner = null!;

        public static IExecutionStore Create(IExecutionStore inner)
        {
            var proxy = Create<IExecutionStore, FailingAfterInsert>();
            ((FailingAfterInsert)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IExecutionStore.CreateAsync))
            {
                return InsertThenFailAsync((NewExecution)args![0]!);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }

        private async Task InsertThenFailAsync(NewExecution row)
        {
            await _inner.CreateAsync(row);
            throw new InvalidOperationException("The test fails the start after the row was written.");
        }
    }
}
