using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Storage.Debounce;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The debounce table: one pending execution per function and key, folds into it, and the claim of its run that ends folding.</summary>
public abstract class DebounceStoreContract(IStoreFixture fixture)
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private SqlDialect Dialect
    {
        get
        {
            Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
            return fixture.CreateDialect();
        }
    }

    [SkippableFact]
    public async Task A_start_reserves_the_key_later_ones_fold_and_the_claim_ends_folding()
    {
        var dialect = Dialect;
        var store = new DapperDebounceStore(dialect);
        var function = "f_" + Guid.NewGuid().ToString("N");

        Assert.Null(await store.TryFoldAsync(function, "k", new JsonObject { ["n"] = 0 }, At.AddSeconds(5)));
        Assert.True(await store.TryReserveAsync(function, "k", At.AddSeconds(5), At, At.AddSeconds(-30)));
        Assert.False(await store.TryReserveAsync(function, "k", At.AddSeconds(5), At, At.AddSeconds(-30)));
        var id = await CreatePendingAsync(dialect, function);
        await store.AttachAsync(function, "k", id);

        Assert.Equal(id, await store.TryFoldAsync(function, "k", new JsonObject { ["n"] = 1 }, At.AddSeconds(7)));
        var pending = (await new DapperExecutionStore(dialect).GetAsync(id))!;
        Assert.Equal((1, "bulk-1"), (pending.Input!["n"]!.GetValue<int>(), pending.Queue));
        // At the first time the run moved on: the claim answers the new time and keeps the row.
        Assert.Equal(At.AddSeconds(7), await store.ClaimAsync(function, "k", id, At.AddSeconds(5)));
        Assert.Equal(id, await store.TryFoldAsync(function, "k", new JsonObject { ["n"] = 2 }, At.AddSeconds(8)));
        Assert.Null(await store.ClaimAsync(function, "k", id, At.AddSeconds(8)));

        Assert.Null(await store.TryFoldAsync(function, "k", new JsonObject { ["n"] = 3 }, At.AddSeconds(13)));
        Assert.True(await store.TryReserveAsync(function, "k", At.AddSeconds(13), At.AddSeconds(8), At.AddSeconds(-22)));
    }

    [SkippableFact]
    public async Task Of_twenty_concurrent_reservations_one_wins_and_other_keys_are_their_own()
    {
        var store = new DapperDebounceStore(Dialect);
        var function = "f_" + Guid.NewGuid().ToString("N");

        var won = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.TryReserveAsync(function, "same", At.AddSeconds(5), At, At.AddSeconds(-30))));
        var other = await store.TryReserveAsync(function, "other", At.AddSeconds(5), At, At.AddSeconds(-30));

        Assert.Equal(1, won.Count(w => w));
        Assert.True(other);
    }

    [SkippableFact]
    public async Task A_reservation_that_never_got_its_execution_or_a_cancelled_pending_one_is_taken_over()
    {
        var dialect = Dialect;
        var store = new DapperDebounceStore(dialect);
        var function = "f_" + Guid.NewGuid().ToString("N");
        Assert.True(await store.TryReserveAsync(function, "k", At.AddSeconds(5), At, At.AddSeconds(-30)));

        Assert.False(await store.TryReserveAsync(function, "k", At.AddSeconds(6), At.AddSeconds(1), At.AddSeconds(-29)));
        Assert.True(await store.TryReserveAsync(function, "k", At.AddSeconds(40), At.AddSeconds(35), At.AddSeconds(5)));

        var id = await CreatePendingAsync(dialect, function);
        await store.AttachAsync(function, "k", id);
        await new DapperExecutionStore(dialect).ApplyAsync(new StatusChange(id, function, ExecutionStatus.Cancelled, At.AddSeconds(36)));
        Assert.Null(await store.TryFoldAsync(function, "k", new JsonObject(), At.AddSeconds(42)));
        Assert.True(await store.TryReserveAsync(function, "k", At.AddSeconds(42), At.AddSeconds(37), At.AddSeconds(7)));
    }

    private static async Task<string> CreatePendingAsync(SqlDialect dialect, string function)
    {
        var id = Guid.NewGuid().ToString("N");
        await new DapperExecutionStore(dialect).CreateAsync(new NewExecution(id, function, null, ExecutionStatus.Scheduled, new JsonObject { ["n"] = 0 }, null, At) { Queue = "bulk-1" });
        return id;
    }
}
