using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Recording;
using AsyncFunctions.Running;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// On PostgreSQL a job's state change and its execution row's status write commit in one
/// transaction (<see cref="PostgreSqlProviderOptions.RecordInJobTransaction"/>), with real
/// Hangfire workers: the row stays correct through success, failure, retries and cancels, a state
/// Hangfire fails to commit leaves no row saying it, and the observers run after the commit.
/// </summary>
public sealed class RecordInJobTransactionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private PostgreSqlTestServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync("af_recordtx");
    }

    public Task DisposeAsync() => _server.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task A_success_commits_its_row_with_the_jobs_Succeeded_state()
    {
        using var host = await StartHostAsync(record: true);
        var id = await StartAsync(host, "t.echo", new JsonObject { ["value"] = 42 });

        var record = await FinishedAsync(host, id);

        Assert.Equal(ExecutionStatus.Succeeded, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Equal(42, record.Output!["value"]!.GetValue<int>());
        var (row, job, state) = await TransactionIdsAsync(id);
        Assert.Equal("Succeeded", state);
        Assert.Equal(row, job);
    }

    [Fact]
    public async Task Without_it_the_row_commits_on_its_own()
    {
        using var host = await StartHostAsync(record: false);
        var id = await StartAsync(host, "t.echo", new JsonObject { ["value"] = 1 });

        Assert.Equal(ExecutionStatus.Succeeded, (await FinishedAsync(host, id)).Status);
        var (row, job, _) = await TransactionIdsAsync(id);
        Assert.NotEqual(row, job);
    }

    [Fact]
    public async Task A_failure_commits_its_error_with_the_jobs_Failed_state()
    {
        using var host = await StartHostAsync(record: true);
        var id = await StartAsync(host, "t.fail", new JsonObject());

        var record = await FinishedAsync(host, id);

        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Contains("always fails", record.Error!.Message, StringComparison.Ordinal);
        var (row, job, state) = await TransactionIdsAsync(id);
        Assert.Equal("Failed", state);
        Assert.Equal(row, job);
    }

    [Fact]
    public async Task A_retried_execution_counts_its_attempts_and_keeps_the_last_outcome()
    {
        using var host = await StartHostAsync(record: true);
        var id = await StartAsync(host, "t.flaky", new JsonObject());

        var record = await FinishedAsync(host, id);

        Assert.Equal(ExecutionStatus.Succeeded, record.Status);
        Assert.Equal(2, record.Attempts);
        Assert.Equal("second try", record.Output!.GetValue<string>());
        Assert.Null(record.Error);
        var (row, job, _) = await TransactionIdsAsync(id);
        Assert.Equal(row, job);
    }

    [Fact]
    public async Task A_cancel_commits_Cancelled_with_the_jobs_deletion()
    {
        using var host = await StartHostAsync(record: true);
        var id = await StartAsync(host, "t.slow", new JsonObject());
        await WaitForAsync(async () => (await GetAsync(host, id))?.Status == ExecutionStatus.Processing);

        await host.Services.GetRequiredService<IExecutionControl>().CancelAsync(id);
        var record = await FinishedAsync(host, id);

        Assert.Equal(ExecutionStatus.Cancelled, record.Status);
        Assert.Equal(ExecutionErrorCodes.Cancelled, record.Error!.Code);
        var (row, job, state) = await TransactionIdsAsync(id);
        Assert.Equal("Deleted", state);
        Assert.Equal(row, job);
    }

    [Fact]
    public async Task A_state_Hangfire_fails_to_commit_leaves_no_row_saying_it()
    {
        using var host = await StartHostAsync(record: true);
        // Every commit of a Succeeded state fails at COMMIT, after the row's write ran in it.
        await ExecuteAsync("""
            CREATE TABLE test_fail_succeeded (on_ boolean NOT NULL);
            INSERT INTO test_fail_succeeded VALUES (true);
            CREATE FUNCTION test_fail_succeeded() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.name = 'Succeeded' AND (SELECT on_ FROM test_fail_succeeded) THEN
                RAISE EXCEPTION 'the test fails this commit';
              END IF;
              RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER test_fail_succeeded AFTER INSERT ON hangfire.state
              DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_fail_succeeded();
            """);
        var ran = Runs.Counter("commit-fails");
        var id = await StartAsync(host, "t.count", new JsonObject { ["key"] = "commit-fails" });
        await WaitForAsync(() => Task.FromResult(ran.Value > 0));

        // Hangfire's worker makes the failed state change again, one, two, three... seconds apart.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(ExecutionStatus.Processing, (await GetAsync(host, id))!.Status);
        Assert.Equal("Processing", (await TransactionIdsAsync(id)).State);

        await ExecuteAsync("UPDATE test_fail_succeeded SET on_ = false");
        var record = await FinishedAsync(host, id);
        Assert.Equal(ExecutionStatus.Succeeded, record.Status);
        Assert.Equal(1, record.Attempts);
        Assert.Equal(1, ran.Value);
        var (row, job, _) = await TransactionIdsAsync(id);
        Assert.Equal(row, job);
    }

    [Fact]
    public async Task The_final_state_removes_the_job_from_the_queue_in_its_transaction()
    {
        using var host = await StartHostAsync(record: true);
        await ExecuteAsync("""
            CREATE TABLE test_dequeued (jobid bigint NOT NULL, xid text NOT NULL);
            CREATE FUNCTION test_dequeued() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO test_dequeued VALUES (OLD.jobid, txid_current()::text);
              RETURN NULL;
            END $$;
            CREATE TRIGGER test_dequeued AFTER DELETE ON hangfire.jobqueue FOR EACH ROW EXECUTE FUNCTION test_dequeued();
            """);
        var id = await StartAsync(host, "t.echo", new JsonObject { ["value"] = 3 });

        Assert.Equal(ExecutionStatus.Succeeded, (await FinishedAsync(host, id)).Status);
        var (row, job, _) = await TransactionIdsAsync(id);
        string? dequeued = null;
        await WaitForAsync(async () => (dequeued = await ScalarAsync<string>($"SELECT string_agg(xid, ',') FROM test_dequeued WHERE jobid = {long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)}")) is not null);
        Assert.Equal(job, dequeued);
        Assert.Equal(row, job);
    }

    [Fact]
    public async Task Observers_run_once_after_the_state_committed()
    {
        using var host = await StartHostAsync(record: true);
        var id = await StartAsync(host, "t.echo", new JsonObject { ["value"] = 7 });

        Assert.Equal(ExecutionStatus.Succeeded, (await FinishedAsync(host, id)).Status);
        var seen = host.Services.GetRequiredService<CommittedStateProbe>();
        await WaitForAsync(() => Task.FromResult(seen.Finished.ContainsKey(id)));

        // What another connection saw from inside the observer: the job already Succeeded.
        Assert.Equal("Succeeded", seen.Finished[id]);
        Assert.Equal(1, seen.FinishedCount(id));
    }

    private async Task<IHost> StartHostAsync(bool record)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AsyncFunctions:Server:WorkerCount"] = "4";
        builder.Services.AddSingleton(new CommittedStateProbe(_connectionString));
        builder.Services.AddSingleton<IStatusChangeObserver>(sp => sp.GetRequiredService<CommittedStateProbe>());
        builder.Services.AddAsyncFunctions(o => o
            .UsePostgreSql(_connectionString, p => (p.RecordInJobTransaction, p.ListenForCompletions) = (record, false))
            .AddFunction<Echo>("t.echo")
            .AddFunction<AlwaysFails>("t.fail")
            .AddFunction<FailsOnce>("t.flaky", f => f.Retries(1, 0))
            .AddFunction<Slow>("t.slow")
            .AddFunction<Count>("t.count"));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<string> StartAsync(IHost host, string function, JsonObject input) =>
        (await host.Services.GetRequiredService<IExecutionService>().StartAsync(new StartRequest(function, input))).Id;

    private static Task<ExecutionRecord?> GetAsync(IHost host, string id) =>
        host.Services.GetRequiredService<IExecutionStore>().GetAsync(id);

    private static async Task<ExecutionRecord> FinishedAsync(IHost host, string id)
    {
        ExecutionRecord? record = null;
        await WaitForAsync(async () => (record = await GetAsync(host, id))?.Status.IsTerminal() == true);
        return record!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met in time.");
            await Task.Delay(50);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    private Task<(string Row, string Job, string State)> TransactionIdsAsync(string id) => WritingTransactions.ReadAsync(_connectionString, id);

    /// <summary>An observer that reads, on a connection of its own, the Hangfire state of each execution that finished.</summary>
    private sealed class CommittedStateProbe(string connectionString) : IStatusChangeObserver
    {
        private readonly ConcurrentDictionary<string, int> _counts = new();

        public ConcurrentDictionary<string, string> Finished { get; } = new();

        public int Order => 1000;

        public int FinishedCount(string id) => _counts.GetValueOrDefault(id);

        public async ValueTask OnRecordedAsync(RecordedStatusChange change, CancellationToken cancellationToken)
        {
            if (!change.Finished)
            {
                return;
            }

            _counts.AddOrUpdate(change.Id, 1, (_, n) => n + 1);
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT statename FROM hangfire.job WHERE id = CAST(@id AS bigint)", connection);
            command.Parameters.AddWithValue("id", change.Id);
            Finished[change.Id] = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
    }

    private sealed class Echo : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult<JsonNode?>(context.Input.DeepClone());
    }

    private sealed class AlwaysFails : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("This function always fails.");
    }

    private sealed class FailsOnce : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Runs.Counter(context.ExecutionId).Increment() == 1
                ? throw new InvalidOperationException("The first try fails.")
                : Task.FromResult<JsonNode?>("second try");
    }

    private sealed class Slow : IAsyncFunction
    {
        public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
            return null;
        }
    }

    private sealed class Count : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            Runs.Counter(context.Input["key"]!.GetValue<string>()).Increment();
            return Task.FromResult<JsonNode?>(null);
        }
    }

    /// <summary>Counters shared between a test and the functions its host runs.</summary>
    private static class Runs
    {
        private static readonly ConcurrentDictionary<string, RunCounter> Counters = new();

        public static RunCounter Counter(string key) => Counters.GetOrAdd(key, _ => new RunCounter());
    }

    private sealed class RunCounter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public int Increment() => Interlocked.Increment(ref _value);
    }
}
