using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The administration half of the contract: retry links, idempotency keys and the retention purge.</summary>
public abstract partial class ExecutionStoreContract
{
    /// <summary>Far before any other test's rows, so a purge here touches only this test's.</summary>
    private static readonly DateTimeOffset LongAgo = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task A_retry_is_linked_both_ways_once()
    {
        var store = Store;
        var (old, first, second) = (NewId(), NewId(), NewId());
        await CreateAsync(store, old);
        await CreateAsync(store, first);
        await CreateAsync(store, second);

        Assert.True(await store.LinkRetryAsync(old, first));
        Assert.False(await NewNode().LinkRetryAsync(old, second));

        Assert.Equal(first, (await store.GetAsync(old))!.RetriedBy);
        Assert.Equal(old, (await store.GetAsync(first))!.RetryOf);
        Assert.Null((await store.GetAsync(second))!.RetryOf);
        Assert.Null((await store.GetAsync(old))!.RetryOf);
    }

    [SkippableFact]
    public async Task Of_concurrent_claims_of_one_idempotency_key_exactly_one_wins_and_all_see_its_start()
    {
        _ = Store;
        var start = new IdempotentStart("caller-" + NewId(), "key-1", "contract.fn", "hash-a");
        var claims = new ConcurrentBag<IdempotencyClaim>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 16), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            claims.Add(await NewNode().ClaimIdempotencyKeyAsync(start with { RequestHash = "hash-" + i }, T0, T0.AddDays(-1), ct)));

        Assert.Single(claims, c => c.Claimed);
        var winner = claims.Single(c => c.Claimed).RequestHash;
        Assert.All(claims, c => Assert.Equal(winner, c.RequestHash));
        Assert.All(claims, c => Assert.Null(c.ExecutionId));
    }

    [SkippableFact]
    public async Task A_claimed_key_answers_its_execution_until_it_expires_and_is_scoped_by_caller()
    {
        var store = Store;
        var caller = "caller-" + NewId();
        var start = new IdempotentStart(caller, "k", "contract.fn", "hash-a");
        Assert.True((await store.ClaimIdempotencyKeyAsync(start, T0, T0.AddDays(-1))).Claimed);
        await store.SetIdempotencyExecutionAsync(caller, "k", "exec-1");

        var again = await store.ClaimIdempotencyKeyAsync(start with { RequestHash = "hash-b" }, T0.AddHours(1), T0.AddHours(1).AddDays(-1));
        var otherCaller = await store.ClaimIdempotencyKeyAsync(start with { CallerKey = caller + "-other" }, T0.AddHours(1), T0.AddDays(-1));
        var expired = await store.ClaimIdempotencyKeyAsync(start with { RequestHash = "hash-c" }, T0.AddDays(2), T0.AddDays(1));

        Assert.False(again.Claimed);
        Assert.Equal(("hash-a", "exec-1"), (again.RequestHash, again.ExecutionId));
        Assert.True(otherCaller.Claimed);
        Assert.True(expired.Claimed);
        Assert.Equal(("hash-c", (string?)null), (expired.RequestHash, expired.ExecutionId));
    }

    [SkippableFact]
    public async Task A_released_key_may_be_claimed_again_but_not_once_it_has_an_execution_and_old_keys_are_purged()
    {
        var store = Store;
        var caller = "caller-" + NewId();
        var start = new IdempotentStart(caller, "k", "contract.fn", "hash-a");
        await store.ClaimIdempotencyKeyAsync(start, LongAgo, LongAgo.AddDays(-1));
        await store.ReleaseIdempotencyKeyAsync(caller, "k");
        Assert.True((await store.ClaimIdempotencyKeyAsync(start, LongAgo, LongAgo.AddDays(-1))).Claimed);
        await store.SetIdempotencyExecutionAsync(caller, "k", "exec-1");
        await store.ReleaseIdempotencyKeyAsync(caller, "k");
        Assert.False((await store.ClaimIdempotencyKeyAsync(start, LongAgo, LongAgo.AddDays(-1))).Claimed);

        Assert.True(await store.PurgeIdempotencyKeysAsync(LongAgo.AddSeconds(1)) >= 1);

        Assert.True((await store.ClaimIdempotencyKeyAsync(start, LongAgo, LongAgo.AddDays(-1))).Claimed);
        await store.PurgeIdempotencyKeysAsync(LongAgo.AddSeconds(1));
    }

    [SkippableFact]
    public async Task The_purge_deletes_finished_executions_completed_before_the_cutoff_oldest_first_in_batches()
    {
        var store = Store;
        var old = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            old.Add(await FinishedAtAsync(store, LongAgo.AddMinutes(i)));
        }

        var recent = await FinishedAtAsync(store, LongAgo.AddDays(10));
        var unfinished = NewId();
        await store.CreateAsync(new NewExecution(unfinished, "contract.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, LongAgo));
        await store.ApplyAsync(new StatusChange(unfinished, "contract.fn", ExecutionStatus.Processing, LongAgo.AddMinutes(1)));
        var waiter = NewId();
        await store.CreateAsync(new NewExecution(waiter, "contract.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, LongAgo));
        await store.SuspendAsync(waiter, new Suspension("{}", [old[0]], LongAgo.AddHours(1)), LongAgo.AddMinutes(1));
        await store.ApplyAsync(new StatusChange(waiter, "contract.fn", ExecutionStatus.Failed, LongAgo.AddMinutes(30)));

        Assert.Equal(3, await store.PurgeFinishedAsync(LongAgo.AddDays(1), 3));
        Assert.Null(await store.GetAsync(old[0]));
        Assert.Null(await store.GetAsync(old[2]));
        Assert.NotNull(await store.GetAsync(old[3]));

        Assert.Equal(3, await store.PurgeFinishedAsync(LongAgo.AddDays(1), 3));
        Assert.Equal(0, await store.PurgeFinishedAsync(LongAgo.AddDays(1), 3));

        Assert.All(old, id => Assert.Null(store.GetAsync(id).Result));
        Assert.Null(await store.GetAsync(waiter));
        Assert.NotNull(await store.GetAsync(recent));
        Assert.NotNull(await store.GetAsync(unfinished));
        Assert.Empty(await store.ListReadyWaitersAsync([old[0]]));
        await store.ApplyAsync(new StatusChange(unfinished, "contract.fn", ExecutionStatus.Succeeded, LongAgo.AddDays(20)));
        await store.PurgeFinishedAsync(LongAgo.AddDays(30), 100);
    }

    private static async Task<string> FinishedAtAsync(IExecutionStore store, DateTimeOffset at)
    {
        var id = NewId();
        await store.CreateAsync(new NewExecution(id, "contract.fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, at.AddSeconds(-1)));
        await store.ApplyAsync(new StatusChange(id, "contract.fn", ExecutionStatus.Succeeded, at));
        return id;
    }
}
