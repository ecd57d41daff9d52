using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FlowControl;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Running;
using AsyncFunctions.Storage.FlowControl;
using AsyncFunctions.Storage.Tests.Fixtures;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// A freed concurrency slot's next execution starts promptly on PostgreSQL, with real Hangfire
/// workers: a job's state lock is taken again within milliseconds of its release (Hangfire.PostgreSql
/// alone tries a held lock once a second, and the worker that fetches a waiter the moment its
/// enqueue commits finds the enqueuer still holding the job's lock), and a waiter handed its slots
/// by the release is queued without a second admission transaction.
/// </summary>
public sealed class AdmissionHandOverTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private PostgreSqlTestServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync("af_handover");
    }

    public Task DisposeAsync() => _server.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task A_held_job_lock_is_taken_within_milliseconds_of_its_release()
    {
        using var host = await StartHostAsync(new CountingAdmissionStore());
        var storage = host.Services.GetRequiredService<JobStorage>();
        using var holder = storage.GetConnection();
        var held = holder.AcquireDistributedLock("job:4242:state-lock", TimeSpan.FromSeconds(10));

        var trying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taken = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiter = new Thread(() =>
        {
            using var connection = storage.GetConnection();
            var elapsed = Stopwatch.StartNew();
            trying.SetResult();
            using (connection.AcquireDistributedLock("job:4242:state-lock", TimeSpan.FromSeconds(10)))
            {
                taken.SetResult(elapsed.Elapsed);
            }
        });
        waiter.Start();
        await trying.Task;
        await Task.Delay(150);
        held.Dispose();
        var after = await taken.Task.WaitAsync(TimeSpan.FromSeconds(30));
        waiter.Join();

        // Hangfire.PostgreSql's own retry comes a whole second after the first try.
        Assert.True(after < TimeSpan.FromMilliseconds(900), $"The lock was taken {after.TotalMilliseconds:0} ms after the first try; released after 150 ms.");
    }

    [Fact]
    public async Task A_job_state_lock_is_taken_and_given_back_in_one_unflushed_command_each_and_excludes_plain_HangfirePostgreSql()
    {
        using var host = await StartHostAsync(new CountingAdmissionStore());
        var storage = host.Services.GetRequiredService<JobStorage>();
        using var log = new NpgsqlCommandLog(_connectionString);
        // Hangfire.PostgreSql on its own, as a node without this provider would run it.
        var plain = new global::Hangfire.PostgreSql.PostgreSqlStorage(
            new global::Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(_connectionString, new global::Hangfire.PostgreSql.PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false }),
            new global::Hangfire.PostgreSql.PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false });

        IReadOnlyList<string> commands;
        using (var trace = log.Trace())
        {
            using var connection = storage.GetConnection();
            var held = connection.AcquireDistributedLock("job:4343:state-lock", TimeSpan.FromSeconds(10));
            Assert.Single(log.CommandsOf(trace));
            using (var other = plain.GetConnection())
            {
                using var untraced = new SuppressedTrace();
                Assert.ThrowsAny<global::Hangfire.Storage.DistributedLockTimeoutException>(() => other.AcquireDistributedLock("job:4343:state-lock", TimeSpan.Zero));
            }

            held.Dispose();
            commands = log.CommandsOf(trace);
        }

        // Hangfire.PostgreSql sends three (a DELETE of an expired row and an INSERT, each committed
        // and flushed, then a DELETE); here one each way, whose commit does not wait for the disk.
        Assert.Equal(2, commands.Count);
        Assert.All(commands, c => Assert.Contains("set_config('synchronous_commit', 'off', true)", c, StringComparison.Ordinal));
        Assert.Contains("INSERT INTO", commands[0], StringComparison.Ordinal);
        Assert.Contains("DELETE FROM", commands[1], StringComparison.Ordinal);

        // Given back: Hangfire.PostgreSql's own lock takes it at once, and this one waits for that.
        using (var other = plain.GetConnection())
        using (other.AcquireDistributedLock("job:4343:state-lock", TimeSpan.Zero))
        {
            using var connection = storage.GetConnection();
            Assert.ThrowsAny<global::Hangfire.Storage.DistributedLockTimeoutException>(() => connection.AcquireDistributedLock("job:4343:state-lock", TimeSpan.FromMilliseconds(50)));
        }
    }

    [Fact]
    public async Task A_job_state_lock_left_behind_by_a_dead_holder_is_taken_once_it_is_older_than_the_lock_timeout()
    {
        using var host = await StartHostAsync(new CountingAdmissionStore());
        var storage = host.Services.GetRequiredService<JobStorage>();
        await using (var connection = new Npgsql.NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            // A row a killed holder left two minutes ago; the provider's DistributedLockTimeout is one minute.
            await using var command = new Npgsql.NpgsqlCommand("INSERT INTO hangfire.lock (resource, acquired) VALUES ('hangfire:job:4444:state-lock', now() AT TIME ZONE 'UTC' - interval '2 minutes')", connection);
            await command.ExecuteNonQueryAsync();
        }

        using var taker = storage.GetConnection();
        var elapsed = Stopwatch.StartNew();
        using (taker.AcquireDistributedLock("job:4444:state-lock", TimeSpan.FromSeconds(5)))
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(4), $"Taken after {elapsed.Elapsed.TotalMilliseconds:0} ms.");
        }
    }

    [Fact]
    public async Task A_release_takes_the_lock_frees_the_slot_and_hands_it_on_in_one_command()
    {
        var commands = await HandOversAsync(4);
        var freeing = commands.Where(c => c.Contains("DELETE FROM af_flow_slots", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, freeing.Count);
        // One command each: the function's lock, the slots freed, the waiter rows removed, the slot handed on.
        Assert.All(freeing, c =>
        {
            Assert.Contains("INSERT INTO af_flow_locks", c, StringComparison.Ordinal);
            Assert.Contains("DELETE FROM af_flow_waiters", c, StringComparison.Ordinal);
            Assert.Contains("INSERT INTO af_flow_slots", c, StringComparison.Ordinal);
        });

        // No other command hands a slot on or reads a line.
        Assert.DoesNotContain(commands, c => c.StartsWith("INSERT INTO af_flow_slots", StringComparison.Ordinal) && c.Contains("DELETE FROM af_flow_waiters", StringComparison.Ordinal));
        Assert.DoesNotContain(commands, c => c.Contains("FROM af_flow_waiters WHERE scope = @Scope AND flow_key = @Key ORDER BY seq", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_waiter_handed_its_slot_is_queued_by_ChangeState_alone_without_reading_its_state_first()
    {
        var commands = await HandOversAsync(4);

        // Before, each wake-up read the job's state (Hangfire's GetStateData) and then changed it.
        Assert.DoesNotContain(commands, c => c.Contains("FROM \"hangfire\".\"state\" s", StringComparison.Ordinal));
    }

    /// <summary>Runs <paramref name="count"/> executions of the limit-1 function one after another; returns the commands sent meanwhile.</summary>
    private async Task<IReadOnlyList<string>> HandOversAsync(int count)
    {
        using var host = await StartHostAsync(new CountingAdmissionStore());
        var executions = host.Services.GetRequiredService<IExecutionService>();
        using var log = new NpgsqlCommandLog(_connectionString);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await executions.StartAsync(new StartRequest("t.one_at_a_time", new JsonObject { ["i"] = i }))).Id);
        }

        foreach (var id in ids)
        {
            Assert.Equal(ExecutionStatus.Succeeded, (await FinishedAsync(host, id)).Status);
        }

        return log.Commands;
    }

    [Fact]
    public async Task A_woken_waiter_s_admitted_state_says_when_its_slots_were_handed_over()
    {
        using var host = await StartHostAsync(new CountingAdmissionStore());
        var executions = host.Services.GetRequiredService<IExecutionService>();
        var first = (await executions.StartAsync(new StartRequest("t.one_at_a_time", new JsonObject { ["i"] = 0 }))).Id;
        var second = (await executions.StartAsync(new StartRequest("t.one_at_a_time", new JsonObject { ["i"] = 1 }))).Id;
        var holder = await FinishedAsync(host, first);
        Assert.Equal(ExecutionStatus.Succeeded, (await FinishedAsync(host, second)).Status);

        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT data::jsonb ->> 'GrantedAt', createdat FROM hangfire.state WHERE jobid = CAST(@id AS bigint) AND reason LIKE 'Admitted%'", connection);
        command.Parameters.AddWithValue("id", second);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{second} was never admitted by a wake-up: {await StatesAsync(second)}");
        var grantedAt = global::Hangfire.Common.JobHelper.DeserializeDateTime(reader.GetString(0));
        var admittedAt = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc);

        // Handed over by the holder's finish (the release's time is its completion's), written later.
        Assert.InRange(grantedAt, holder.CompletedAt!.Value.UtcDateTime.AddMilliseconds(-5), admittedAt.AddMilliseconds(5));
    }

    [Fact]
    public async Task A_freed_slot_starts_the_next_waiter_promptly_without_a_second_admission()
    {
        var admissions = new CountingAdmissionStore();
        using var host = await StartHostAsync(admissions);
        var executions = host.Services.GetRequiredService<IExecutionService>();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await executions.StartAsync(new StartRequest("t.one_at_a_time", new JsonObject { ["i"] = i }))).Id);
        }

        var records = new List<ExecutionRecord>();
        foreach (var id in ids)
        {
            records.Add(await FinishedAsync(host, id));
        }

        Assert.All(records, r => Assert.Equal(ExecutionStatus.Succeeded, r.Status));
        var ordered = records.OrderBy(r => RunStarts[r.Id]).ToList();
        var handOvers = new List<(TimeSpan Delay, string Detail)>();
        for (var i = 1; i < ordered.Count; i++)
        {
            var delay = RunStarts[ordered[i].Id] - ordered[i - 1].CompletedAt!.Value;
            handOvers.Add((delay, $"{delay.TotalMilliseconds:0} ms (states {await StatesAsync(ordered[i].Id)})"));
        }

        // Each hand-over whose worker met the enqueuer's lock took over a second before; a machine
        // stalled for a moment may still slow one, so the median is what is checked.
        var median = handOvers.OrderBy(h => h.Delay).ElementAt(handOvers.Count / 2).Delay;
        Assert.True(median < TimeSpan.FromMilliseconds(900), "Hand-overs: " + string.Join("; ", handOvers.Select(h => h.Detail)));

        // One admission per start (one admitted, five waiting); the woken waiters are not asked again.
        Assert.Equal(6, admissions.Admissions);
    }

    private async Task<IHost> StartHostAsync(CountingAdmissionStore admissions)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AsyncFunctions:Server:WorkerCount"] = "4";
        // Registered first: AddAsyncFunctions keeps it, counting what reaches the real store.
        builder.Services.AddSingleton<IFlowAdmissionStore>(sp => admissions.Over(new DapperFlowAdmissionStore(sp.GetRequiredService<SqlDialect>())));
        builder.Services.AddAsyncFunctions(o => o
            .UsePostgreSql(_connectionString, p => p.ListenForCompletions = false)
            .AddFunction<RecordsItsStart>("t.one_at_a_time", f => f.LimitConcurrency(1)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Runs what it wraps outside the test's trace.</summary>
    private sealed class SuppressedTrace : IDisposable
    {
        private readonly Activity? _current = Activity.Current;

        public SuppressedTrace() => Activity.Current = null;

        public void Dispose() => Activity.Current = _current;
    }

    /// <summary>The job's Hangfire states with the times they were written, for a failure's message.</summary>
    private async Task<string> StatesAsync(string id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT string_agg(name || '@' || to_char(createdat, 'HH24:MI:SS.MS'), ', ' ORDER BY id) FROM hangfire.state WHERE jobid = CAST(@id AS bigint)", connection);
        command.Parameters.AddWithValue("id", id);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "none";
    }

    private static async Task<ExecutionRecord> FinishedAsync(IHost host, string id)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var record = await host.Services.GetRequiredService<IExecutionStore>().GetAsync(id);
            if (record?.Status.IsTerminal() == true)
            {
                return record;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Execution {id} did not finish in time; last seen {record?.Status}.");
            await Task.Delay(50);
        }
    }

    /// <summary>When each execution's run began, as the run itself saw it.</summary>
    private static readonly ConcurrentDictionary<string, DateTimeOffset> RunStarts = new();

    private sealed class RecordsItsStart : IAsyncFunction
    {
        public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
        {
            RunStarts[context.ExecutionId] = DateTimeOffset.UtcNow;
            await Task.Delay(20, cancellationToken);
            return null;
        }
    }

    /// <summary>The admission store, counting its admissions.</summary>
    private sealed class CountingAdmissionStore
    {
        private int _admissions;

        public int Admissions => Volatile.Read(ref _admissions);

        public IFlowAdmissionStore Over(IFlowAdmissionStore inner) => new Counting(this, inner);

        private sealed class Counting(CountingAdmissionStore counter, IFlowAdmissionStore inner) : IFlowAdmissionStore
        {
            public Task<AdmissionOutcome> AdmitAsync(string executionId, AdmissionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref counter._admissions);
                return inner.AdmitAsync(executionId, ticket, now, cancellationToken);
            }

            public Task<AdmissionOutcome> AdmitNowAsync(string executionId, AdmissionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref counter._admissions);
                return inner.AdmitNowAsync(executionId, ticket, now, cancellationToken);
            }

            public Task<IReadOnlyList<GrantedWaiter>> ReleaseAsync(string function, string executionId, bool suspending, DateTimeOffset now, CancellationToken cancellationToken = default) =>
                inner.ReleaseAsync(function, executionId, suspending, now, cancellationToken);

            public Task<FlowRepair> RepairAsync(DateTimeOffset now, DateTimeOffset orphanedBefore, CancellationToken cancellationToken = default) =>
                inner.RepairAsync(now, orphanedBefore, cancellationToken);

            public Task<IReadOnlyList<FlowKeyUsage>> ListUsageAsync(CancellationToken cancellationToken = default) => inner.ListUsageAsync(cancellationToken);

            public Task<string?> DescribeWaitAsync(string executionId, CancellationToken cancellationToken = default) => inner.DescribeWaitAsync(executionId, cancellationToken);
        }
    }
}
