using System.Data.Common;
using AsyncFunctions.Storage.PostgreSql;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// The cross-node path: node A awaits with a poll interval so long that only the NOTIFY sent by
/// node B's result write (a separate dialect, pool and store) can wake it in time.
/// </summary>
public sealed class PostgreSqlNotificationTests(PostgreSqlStoreFixture database) : IClassFixture<PostgreSqlStoreFixture>, IAsyncLifetime
{
    private static readonly TimeSpan NeverPoll = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();
    private IExecutionStore _nodeA = null!;
    private IExecutionStore _nodeB = null!;
    private ExecutionAwaiter _awaiterA = null!;
    private PostgreSqlCompletionListener _listenerA = null!;

    public async Task InitializeAsync()
    {
        _nodeA = new DapperExecutionStore(database.CreatePostgreSqlDialect());
        _nodeB = new DapperExecutionStore(database.CreatePostgreSqlDialect());
        _awaiterA = new ExecutionAwaiter(
            _nodeA,
            Options.Create(new AwaitOptions { PollMinInterval = NeverPoll, PollMaxInterval = NeverPoll, MaxTimeout = NeverPoll }),
            TimeProvider.System,
            NullLogger<ExecutionAwaiter>.Instance);
        _listenerA = new PostgreSqlCompletionListener(
            database.ConnectionString, _awaiterA, TimeProvider.System, NullLogger<PostgreSqlCompletionListener>.Instance, TimeSpan.FromMilliseconds(500));
        await _listenerA.StartAsync(CancellationToken.None);
        await _listenerA.Listening.WaitAsync(Generous);
    }

    public async Task DisposeAsync()
    {
        await _listenerA.StopAsync(CancellationToken.None);
        _listenerA.Dispose();
        _awaiterA.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task An_await_on_one_node_wakes_when_another_node_writes_the_result()
    {
        var id = await StartRunningAsync();
        var clock = Stopwatch.StartNew();
        var waiting = _awaiterA.AwaitAsync([id], Generous);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted, "nothing finished yet");

        clock.Restart();
        await _nodeB.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Succeeded, DateTimeOffset.UtcNow) { Output = JsonValue.Create("from B") });
        var outcome = await waiting;

        Assert.True(outcome.Completed);
        Assert.Equal("from B", outcome.Results[0].Output!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"woke after {clock.Elapsed}, which only a poll would explain");
    }

    [Fact]
    public async Task A_write_the_monotonic_rule_rejects_sends_no_notification()
    {
        var id = await StartRunningAsync();
        await _nodeB.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Succeeded, DateTimeOffset.UtcNow));
        var notified = new List<string>();
        await using var listener = new NpgsqlConnection(database.ConnectionString);
        await listener.OpenAsync();
        listener.Notification += (_, e) => notified.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlDialect.NotificationChannel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        Assert.False(await _nodeB.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Failed, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.True(await _nodeB.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Enqueued, DateTimeOffset.UtcNow.AddMinutes(1))));
        await listener.WaitAsync(TimeSpan.FromMilliseconds(300));

        Assert.Empty(notified);
    }

    [Fact]
    public async Task After_losing_its_connection_the_listener_reconnects_and_catches_up()
    {
        var id = await StartRunningAsync();
        var waiting = _awaiterA.AwaitAsync([id], Generous);

        // End the listening session from the server side, then finish the execution at once, most
        // likely while no connection listens: only the catch-up after the reconnect can report it.
        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", admin);
            kill.Parameters.AddWithValue("name", PostgreSqlCompletionListener.ApplicationName);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        await _nodeB.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Succeeded, DateTimeOffset.UtcNow) { Output = JsonValue.Create(7) });
        var outcome = await waiting.WaitAsync(Generous);

        Assert.True(outcome.Completed);
        Assert.Equal(7, outcome.Results[0].Output!.GetValue<int>());
    }

    [Fact]
    public async Task Nodes_migrating_at_once_all_succeed()
    {
        var server = await PostgreSqlTestServer.GetAsync();
        var fresh = await server.CreateDatabaseAsync("af_migrate");
        try
        {
            await using var dialect = new PostgreSqlDialect(fresh);
            var store = new DapperExecutionStore(dialect);
            await Assert.ThrowsAnyAsync<DbException>(() => store.PingAsync());

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgreSqlResultsSchema.MigrateAsync(fresh))));

            // The ping reads the results table, so it passes only once the schema is there.
            await store.PingAsync();
        }
        finally
        {
            await server.DropDatabaseAsync(fresh);
        }
    }

    private async Task<string> StartRunningAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        await _nodeB.CreateAsync(new NewExecution(id, "notify.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, DateTimeOffset.UtcNow.AddSeconds(-1)));
        await _nodeB.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Processing, DateTimeOffset.UtcNow.AddMilliseconds(-500)));
        return id;
    }
}
