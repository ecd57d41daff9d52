using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.Tests.Fixtures;
using AsyncFunctions.Webhooks;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The callbacks table and its deliveries, on a database migrated with the scripts that ship.</summary>
public abstract class CallbackStoreContract(IStoreFixture fixture)
{
    private DapperCallbackStore Store
    {
        get
        {
            Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
            return new DapperCallbackStore(fixture.CreateDialect());
        }
    }

    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    [SkippableFact]
    public async Task An_execution_without_a_callback_has_none()
    {
        Assert.Null(await Store.GetAsync("cb-none-" + Guid.NewGuid().ToString("N")));
    }

    [SkippableFact]
    public async Task A_saved_callback_is_pending_and_a_repeated_save_keeps_the_first()
    {
        var store = Store;
        var id = "cb-save-" + Guid.NewGuid().ToString("N");
        await store.SaveAsync(id, "https://hooks.example.com/a");
        await store.SaveAsync(id, "https://hooks.example.com/b");

        var callback = await store.GetAsync(id);

        Assert.NotNull(callback);
        Assert.Equal(("https://hooks.example.com/a", CallbackState.Pending), (callback.Url, callback.State));
        Assert.Empty(callback.Deliveries);
        Assert.Null(callback.MessageId);
    }

    [SkippableFact]
    public async Task Deliveries_are_listed_in_order_with_their_outcome_and_a_repeated_attempt_is_recorded_once()
    {
        var store = Store;
        var id = "cb-deliver-" + Guid.NewGuid().ToString("N");
        await store.SaveAsync(id, "https://hooks.example.com/a");
        var first = new CallbackDelivery("msg_1", 1, At, 503, "The receiver answered 503.", 12);
        var second = new CallbackDelivery("msg_1", 2, At.AddSeconds(5), 200, null, 7);

        await store.RecordAsync(id, first, CallbackState.Pending);
        await store.RecordAsync(id, first, CallbackState.Pending);
        await store.RecordAsync(id, second, CallbackState.Delivered);

        var callback = await store.GetAsync(id);
        Assert.NotNull(callback);
        Assert.Equal(CallbackState.Delivered, callback.State);
        Assert.Equal("msg_1", callback.MessageId);
        Assert.Equal([first, second], callback.Deliveries);
    }

    [SkippableFact]
    public async Task A_failed_attempt_without_an_answer_keeps_a_null_status()
    {
        var store = Store;
        var id = "cb-failed-" + Guid.NewGuid().ToString("N");
        await store.SaveAsync(id, "https://hooks.example.com/a");
        var refused = new CallbackDelivery("msg_2", 1, At, null, "The host is not public.", 0);

        await store.RecordAsync(id, refused, CallbackState.Failed);

        var callback = await store.GetAsync(id);
        Assert.NotNull(callback);
        Assert.Equal(CallbackState.Failed, callback.State);
        Assert.Equal(refused, Assert.Single(callback.Deliveries));
    }

    [SkippableFact]
    public async Task The_purge_takes_an_executions_callback_and_deliveries_with_it()
    {
        var callbacks = Store;
        var store = new DapperExecutionStore(fixture.CreateDialect());
        var at = new DateTimeOffset(2000, 6, 2, 0, 0, 0, TimeSpan.Zero);
        var id = "cb-purge-" + Guid.NewGuid().ToString("N");
        await store.CreateAsync(new NewExecution(id, "contract.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, at));
        await callbacks.SaveAsync(id, "https://hooks.example.com/a");
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, at.AddSeconds(1)));
        await callbacks.RecordAsync(id, new CallbackDelivery("msg_3", 1, at.AddSeconds(2), 200, null, 3), CallbackState.Delivered);

        Assert.True(await store.PurgeFinishedAsync(at.AddSeconds(2), 900) >= 1);

        Assert.Null(await callbacks.GetAsync(id));
        await using var connection = await fixture.CreateDialect().OpenAsync(CancellationToken.None);
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection, "SELECT COUNT(*) FROM af_webhook_deliveries WHERE execution_id = @id", new { id }));
    }
}
