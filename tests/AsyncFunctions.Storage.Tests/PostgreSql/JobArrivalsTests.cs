using AsyncFunctions.PostgreSql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>Where a node's idle workers wait for a job on PostgreSQL (threads here stand in for workers).</summary>
public sealed class JobArrivalsTests
{
    private static readonly TimeSpan NeverPoll = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_ring_lets_exactly_one_of_several_waiters_look()
    {
        var arrivals = new JobArrivals();
        using var stop = new CancellationTokenSource();
        var rung = 0;
        var waiters = Waiters(4, () =>
        {
            if (arrivals.Wait(["default"], NeverPoll, stop.Token))
            {
                Interlocked.Increment(ref rung);
            }
        });
        await Task.Delay(200);

        arrivals.Ring();
        await Until(() => Volatile.Read(ref rung) >= 1);
        await Task.Delay(300);
        var after = Volatile.Read(ref rung);
        await stop.CancelAsync();
        await Task.WhenAll(waiters).WaitAsync(Bound);

        Assert.Equal(1, after);
    }

    [Fact]
    public void A_ring_nobody_waited_for_is_kept_for_the_next_waiter_once()
    {
        var arrivals = new JobArrivals();
        arrivals.Wait(["default"], TimeSpan.FromMilliseconds(1), CancellationToken.None); // the group exists
        arrivals.Ring();
        arrivals.Ring();

        Assert.True(arrivals.Wait(["default"], NeverPoll, CancellationToken.None));
        Assert.False(arrivals.Wait(["default"], TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public void A_committed_enqueue_rings_the_groups_that_fetch_from_its_queue_and_no_other()
    {
        var arrivals = new JobArrivals();
        arrivals.Wait(["critical", "default"], TimeSpan.FromMilliseconds(1), CancellationToken.None); // the groups exist
        arrivals.Wait(["reports"], TimeSpan.FromMilliseconds(1), CancellationToken.None);

        arrivals.RingAfterCommit(["default"]);

        Assert.True(arrivals.Wait(["critical", "default"], TimeSpan.FromMilliseconds(1), CancellationToken.None));
        Assert.False(arrivals.Wait(["reports"], TimeSpan.FromMilliseconds(1), CancellationToken.None));
    }

    [Fact]
    public void An_enqueue_inside_a_transaction_rings_when_it_commits_and_never_when_it_rolls_back()
    {
        var arrivals = new JobArrivals();
        arrivals.Wait(["default"], TimeSpan.FromMilliseconds(1), CancellationToken.None); // the group exists

        using (new System.Transactions.TransactionScope())
        {
            arrivals.RingAfterCommit(["default"]);
            Assert.False(arrivals.Wait(["default"], TimeSpan.FromMilliseconds(1), CancellationToken.None));
        }

        Assert.False(arrivals.Wait(["default"], TimeSpan.FromMilliseconds(1), CancellationToken.None));

        using (var scope = new System.Transactions.TransactionScope())
        {
            arrivals.RingAfterCommit(["default"]);
            scope.Complete();
        }

        Assert.True(arrivals.Wait(["default"], TimeSpan.FromMilliseconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task A_notification_rings_every_queue_group_and_a_claim_only_its_own()
    {
        var arrivals = new JobArrivals();
        var shared = 0;
        var own = 0;
        var sharedWaiter = Waiters(1, () => { if (arrivals.Wait(["default", "low"], NeverPoll, CancellationToken.None)) Interlocked.Increment(ref shared); });
        var ownWaiter = Waiters(1, () => { if (arrivals.Wait(["reports"], NeverPoll, CancellationToken.None)) Interlocked.Increment(ref own); });
        await Task.Delay(200);

        arrivals.Ring(["reports"]);
        await Task.WhenAll(ownWaiter).WaitAsync(Bound);
        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref shared));

        ownWaiter = Waiters(1, () => { if (arrivals.Wait(["reports"], NeverPoll, CancellationToken.None)) Interlocked.Increment(ref own); });
        await Task.Delay(200);
        arrivals.Ring();
        await Task.WhenAll(sharedWaiter.Concat(ownWaiter)).WaitAsync(Bound);

        Assert.Equal(1, shared);
        Assert.Equal(2, own);
    }

    [Fact]
    public async Task An_idle_group_polls_about_once_per_interval_however_many_workers_wait()
    {
        const int Workers = 8;
        var interval = TimeSpan.FromMilliseconds(100);
        var arrivals = new JobArrivals();
        using var stop = new CancellationTokenSource();
        var looks = 0;
        var waiters = Waiters(Workers, () =>
        {
            while (!stop.IsCancellationRequested)
            {
                arrivals.Wait(["default"], interval, stop.Token);
                Interlocked.Increment(ref looks);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await Task.WhenAll(waiters).WaitAsync(Bound);

        // Each waiter on its own interval would look 8 x 20 = 160 times; one poller (20) and the
        // others' rare look (one per ten intervals: 7 x 2) make about 34. A busy machine looks less, not more.
        Assert.InRange(looks, 1, 70);
    }

    [Fact]
    public async Task Cancelling_ends_every_wait_at_once()
    {
        var arrivals = new JobArrivals();
        using var stop = new CancellationTokenSource();
        var waiters = Waiters(3, () => Assert.False(arrivals.Wait(["default"], NeverPoll, stop.Token)));
        await Task.Delay(200);

        await stop.CancelAsync();

        await Task.WhenAll(waiters).WaitAsync(Bound);
    }

    /// <summary>Worker threads of their own, as Hangfire's workers are.</summary>
    private static List<Task> Waiters(int count, Action wait) =>
        [.. Enumerable.Range(0, count).Select(_ => Task.Factory.StartNew(wait, TaskCreationOptions.LongRunning))];

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The wait was never rung.");
            await Task.Delay(20);
        }
    }
}
