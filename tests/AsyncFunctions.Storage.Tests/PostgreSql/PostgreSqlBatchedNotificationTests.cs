using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Transactions;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.PostgreSql;
using AsyncFunctions.Storage.Tests.Fixtures;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// Notifications of finished executions sent after the write committed, many in one transaction
/// (<c>notifyAfterCommit</c>), on a real PostgreSQL: every committed finished status is announced
/// once, a rejected or rolled-back one never, and the write statement itself sends nothing, so it
/// does not queue on PostgreSQL's NOTIFY commit lock.
/// </summary>
public sealed class PostgreSqlBatchedNotificationTests(PostgreSqlStoreFixture database) : IClassFixture<PostgreSqlStoreFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<string> _notified = new();
    private PostgreSqlDialect _dialect = null!;
    private DapperExecutionStore _store = null!;
    private NpgsqlConnection _listener = null!;

    public async Task InitializeAsync()
    {
        _dialect = new PostgreSqlDialect(database.ConnectionString, enlist: true, notifyAfterCommit: true);
        _store = new DapperExecutionStore(_dialect);
        _listener = new NpgsqlConnection(database.ConnectionString);
        await _listener.OpenAsync();
        _listener.Notification += (_, e) => _notified.Enqueue(e.Payload);
        await using var listen = new NpgsqlCommand($"LISTEN {PostgreSqlDialect.NotificationChannel}", _listener);
        await listen.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
        await _dialect.DisposeAsync();
    }

    [Fact]
    public void The_status_write_itself_sends_no_notification()
    {
        using var inStatement = new PostgreSqlDialect(database.ConnectionString);
        Assert.DoesNotContain("pg_notify", _dialect.ApplySql, StringComparison.Ordinal);
        Assert.Contains("pg_notify", inStatement.ApplySql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dialect_may_be_disposed_more_than_once()
    {
        var dialect = new PostgreSqlDialect(database.ConnectionString, notifyAfterCommit: true);
        await dialect.DisposeAsync();
        await dialect.DisposeAsync();
        dialect.Dispose();
    }

    [Fact]
    public async Task Every_finished_execution_is_announced_once_and_concurrent_ones_share_transactions()
    {
        var ids = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            ids.Add(await StartRunningAsync());
        }

        var batchesBefore = _dialect.Notifier!.Batches;
        var sentBefore = _dialect.Notifier.Sent;
        var applied = await Task.WhenAll(ids.Select(id => Task.Run(() => _store.ApplyAsync(Succeeded(id)))));
        Assert.All(applied, Assert.True);
        await ListenUntilAsync(() => ids.All(_notified.Contains));

        Assert.Equal(ids.Order(StringComparer.Ordinal), _notified.Where(ids.Contains).Order(StringComparer.Ordinal));
        var sent = _dialect.Notifier.Sent - sentBefore;
        var batches = _dialect.Notifier.Batches - batchesBefore;
        Assert.Equal(150, sent);
        Assert.True(batches < sent, $"{sent} notifications took {batches} transactions: none was shared");
    }

    [Fact]
    public async Task Writes_that_finish_nothing_or_are_rejected_are_not_announced()
    {
        var id = await StartRunningAsync();
        Assert.True(await _store.ApplyAsync(Succeeded(id)));
        await ListenUntilAsync(() => _notified.Contains(id));
        _notified.Clear();

        Assert.False(await _store.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Failed, DateTimeOffset.UtcNow.AddMinutes(-1))));
        var other = await StartRunningAsync();
        await _listener.WaitAsync(TimeSpan.FromMilliseconds(500));

        Assert.DoesNotContain(id, _notified);
        Assert.DoesNotContain(other, _notified);
    }

    [Fact]
    public async Task A_finished_write_is_announced_only_when_its_enclosing_transaction_commits()
    {
        var rolledBack = await StartRunningAsync();
        var committed = await StartRunningAsync();

        await WriteInScopeAsync(rolledBack, complete: false);
        await WriteInScopeAsync(committed, complete: true);
        await ListenUntilAsync(() => _notified.Contains(committed));
        await _listener.WaitAsync(TimeSpan.FromMilliseconds(300));

        Assert.DoesNotContain(rolledBack, _notified);
        Assert.Equal(ExecutionStatus.Processing, (await _store.GetAsync(rolledBack))!.Status);
        Assert.Equal(ExecutionStatus.Succeeded, (await _store.GetAsync(committed))!.Status);
    }

    /// <summary>As a job's state change does it: the write on the scope's thread, waited for synchronously.</summary>
    private Task WriteInScopeAsync(string id, bool complete) => Task.Factory.StartNew(
        () =>
        {
            using var scope = new TransactionScope(TransactionScopeOption.RequiresNew, new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted });
            Assert.True(_store.ApplyAsync(Succeeded(id)).GetAwaiter().GetResult());
            if (complete)
            {
                scope.Complete();
            }
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

    private static StatusChange Succeeded(string id) =>
        new(id, "notify.fn", ExecutionStatus.Succeeded, DateTimeOffset.UtcNow) { Output = JsonValue.Create(id) };

    private async Task ListenUntilAsync(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "the notifications did not all arrive");
            await _listener.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
    }

    private async Task<string> StartRunningAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        await _store.CreateAsync(new NewExecution(id, "notify.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, DateTimeOffset.UtcNow.AddSeconds(-1)));
        await _store.ApplyAsync(new StatusChange(id, "notify.fn", ExecutionStatus.Processing, DateTimeOffset.UtcNow.AddMilliseconds(-500)));
        return id;
    }
}
