using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FlowControl;
using AsyncFunctions.Storage.FlowControl;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>Admission: slots never exceed a limit whatever the concurrency, waiters are served in arrival order, rate windows are reserved in order.</summary>
public abstract class FlowAdmissionStoreContract(IStoreFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private SqlDialect Dialect
    {
        get
        {
            Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
            return fixture.CreateDialect();
        }
    }

    private static string NewFunction() => "flow." + Guid.NewGuid().ToString("N")[..12];

    private static AdmissionTicket Ticket(string function, int limit, string key = "", bool hold = false) => new()
    {
        Function = function,
        Slots = [new SlotClaim(AdmissionTicket.ConcurrencyScope(function, 0), key, limit)],
        HoldWhileAwaiting = hold,
    };

    [SkippableFact]
    public async Task Of_many_nodes_admitting_at_once_no_more_than_the_limit_get_a_slot()
    {
        var function = NewFunction();
        var ticket = Ticket(function, 3);
        var dialect = Dialect;

        // Each admission on its own dialect instance: as separate nodes.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            new DapperFlowAdmissionStore(fixture.CreateDialect()).AdmitAsync($"{function}-{i}", ticket, T0)));

        Assert.Equal(3, outcomes.Count(o => o.Verdict == AdmissionVerdict.Admitted));
        Assert.Equal(17, outcomes.Count(o => o.Verdict == AdmissionVerdict.Waiting));
        var usage = Assert.Single(await new DapperFlowAdmissionStore(dialect).ListUsageAsync(), u => u.Function == function);
        Assert.Equal((3, 3, 17), (usage.Limit, usage.Running, usage.Waiting));
    }

    [SkippableFact]
    public async Task A_freed_slot_goes_to_the_oldest_waiter_and_admission_is_idempotent()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(Dialect);
        var ticket = Ticket(function, 1);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("a-" + function, ticket, T0)).Verdict);
        var waiting = await store.AdmitAsync("b-" + function, ticket, T0.AddSeconds(1));
        Assert.Equal(AdmissionVerdict.Waiting, waiting.Verdict);
        Assert.Contains("1 running", waiting.WaitingFor, StringComparison.Ordinal);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("c-" + function, ticket, T0.AddSeconds(2))).Verdict);

        // Admitted again (a requeue, a takeover): still admitted; still waiting: still waiting, no second place in line.
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("a-" + function, ticket, T0.AddSeconds(3))).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("b-" + function, ticket, T0.AddSeconds(3))).Verdict);
        Assert.NotNull(await store.DescribeWaitAsync("c-" + function));

        var first = await store.ReleaseAsync(function, "a-" + function, suspending: false, T0.AddSeconds(4));
        Assert.Equal(["b-" + function], first.Select(g => g.Id));
        Assert.Equal(T0.AddSeconds(1), first[0].WaitingSince);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("b-" + function, ticket, T0.AddSeconds(5))).Verdict);
        Assert.Empty(await store.ReleaseAsync(function, "a-" + function, suspending: false, T0.AddSeconds(5)));
        Assert.Equal(["c-" + function], (await store.ReleaseAsync(function, "b-" + function, suspending: false, T0.AddSeconds(6))).Select(g => g.Id));
        Assert.Null(await store.DescribeWaitAsync("c-" + function));
    }

    [SkippableFact]
    public async Task A_freed_key_with_room_for_several_hands_it_to_as_many_of_its_oldest_waiters()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(Dialect);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("a-" + function, Ticket(function, 1), T0)).Verdict);
        foreach (var name in new[] { "b", "c", "d" })
        {
            Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync(name + "-" + function, Ticket(function, 1), T0.AddSeconds(1))).Verdict);
        }

        // The limit raised to 3 by a later start, which takes one of the new slots: a's release leaves room for 2.
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("e-" + function, Ticket(function, 3), T0.AddSeconds(2))).Verdict);
        var granted = await store.ReleaseAsync(function, "a-" + function, suspending: false, T0.AddSeconds(3));

        Assert.Equal(["b-" + function, "c-" + function], granted.Select(g => g.Id));
        var usage = Assert.Single(await store.ListUsageAsync(), u => u.Function == function);
        Assert.Equal((3, 3, 1), (usage.Limit, usage.Running, usage.Waiting));
    }

    [SkippableFact]
    public async Task Keys_have_slots_of_their_own_and_a_waiter_needs_a_slot_of_every_limit()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(Dialect);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("k1-" + function, Ticket(function, 1, "k1"), T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("k2-" + function, Ticket(function, 1, "k2"), T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("k1b-" + function, Ticket(function, 1, "k1"), T0)).Verdict);

        // Two limits: per function (2) and per customer (1).
        var other = NewFunction();
        AdmissionTicket Both(string customer) => new()
        {
            Function = other,
            Slots = [new SlotClaim(AdmissionTicket.ConcurrencyScope(other, 0), "", 2), new SlotClaim(AdmissionTicket.ConcurrencyScope(other, 1), customer, 1)],
        };
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("x1-" + other, Both("x"), T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("x2-" + other, Both("x"), T0)).Verdict);
        // x2 waits for x's slot only: it does not hold up y, which needs another key.
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("y1-" + other, Both("y"), T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("z1-" + other, Both("z"), T0)).Verdict);

        // Freeing x1 frees a function-wide slot and x's slot: x2 (the oldest) gets both; z1 still waits for a function-wide one.
        Assert.Equal(["x2-" + other], (await store.ReleaseAsync(other, "x1-" + other, suspending: false, T0.AddSeconds(1))).Select(g => g.Id));
        Assert.Equal(["z1-" + other], (await store.ReleaseAsync(other, "y1-" + other, suspending: false, T0.AddSeconds(2))).Select(g => g.Id));
    }

    [SkippableFact]
    public async Task A_suspension_gives_slots_back_unless_the_function_holds_them_while_awaiting()
    {
        var store = new DapperFlowAdmissionStore(Dialect);
        foreach (var hold in new[] { true, false })
        {
            var function = NewFunction();
            await store.AdmitAsync("a-" + function, Ticket(function, 1, hold: hold), T0);
            await store.AdmitAsync("b-" + function, Ticket(function, 1, hold: hold), T0);

            var granted = await store.ReleaseAsync(function, "a-" + function, suspending: true, T0.AddSeconds(1));

            Assert.Equal(hold ? [] : ["b-" + function], granted.Select(g => g.Id).ToArray());
        }
    }

    [SkippableFact]
    public async Task Admitting_now_takes_a_free_slot_but_writes_nothing_when_a_limit_is_full_or_someone_waits()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(Dialect);
        var ticket = Ticket(function, 1);

        // A free slot: taken now, and an async start then waits for it.
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitNowAsync("sync-" + function, ticket, T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("a-" + function, ticket, T0.AddSeconds(1))).Verdict);

        // Full: refused, not recorded as a waiter.
        var refused = await store.AdmitNowAsync("sync2-" + function, ticket, T0.AddSeconds(2));
        Assert.Equal(AdmissionVerdict.Waiting, refused.Verdict);
        Assert.Contains("1 running", refused.WaitingFor, StringComparison.Ordinal);
        Assert.Null(await store.DescribeWaitAsync("sync2-" + function));

        // The sync run's release hands its slot to the waiter in line; a sync run fits again only once that one is done.
        Assert.Equal(["a-" + function], (await store.ReleaseAsync(function, "sync-" + function, suspending: false, T0.AddSeconds(3))).Select(g => g.Id));
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitNowAsync("sync3-" + function, ticket, T0.AddSeconds(4))).Verdict);
        Assert.Empty(await store.ReleaseAsync(function, "a-" + function, suspending: false, T0.AddSeconds(5)));
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitNowAsync("sync3-" + function, ticket, T0.AddSeconds(6))).Verdict);
        var usage = Assert.Single(await store.ListUsageAsync(), u => u.Function == function);
        Assert.Equal((1, 0), (usage.Running, usage.Waiting));
    }

    [SkippableFact]
    public async Task Admitting_now_counts_a_start_in_the_rate_window_and_over_it_reserves_nothing()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(Dialect);
        var ticket = new AdmissionTicket { Function = function, Rate = new RateClaim(AdmissionTicket.RateScope(function), "", 1, 10) };

        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitNowAsync("sync-" + function, ticket, T0)).Verdict);
        var refused = await store.AdmitNowAsync("sync2-" + function, ticket, T0.AddSeconds(1));
        Assert.Equal((AdmissionVerdict.Delayed, (DateTimeOffset?)T0.AddSeconds(10)), (refused.Verdict, refused.NotBefore));

        // The refusal reserved no window: the next async start gets the first free one.
        Assert.Equal(T0.AddSeconds(10), (await store.AdmitAsync("a-" + function, ticket, T0.AddSeconds(2))).NotBefore);
    }

    [SkippableFact]
    public async Task A_rate_limit_delays_starts_over_it_to_the_next_free_window_in_order()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(Dialect);
        var ticket = new AdmissionTicket { Function = function, Rate = new RateClaim(AdmissionTicket.RateScope(function), "", 2, 10) };

        var outcomes = new List<AdmissionOutcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add(await store.AdmitAsync($"{function}-{i}", ticket, T0.AddMilliseconds(i)));
        }

        Assert.Equal([AdmissionVerdict.Admitted, AdmissionVerdict.Admitted, AdmissionVerdict.Delayed, AdmissionVerdict.Delayed, AdmissionVerdict.Delayed], outcomes.Select(o => o.Verdict));
        Assert.Equal([T0.AddSeconds(10), T0.AddSeconds(10).AddMilliseconds(1), T0.AddSeconds(20)], outcomes.Skip(2).Select(o => o.NotBefore!.Value));

        // Back early: delayed again to the same window; back in time: admitted on its reservation.
        Assert.Equal(T0.AddSeconds(10), (await store.AdmitAsync($"{function}-2", ticket, T0.AddSeconds(5))).NotBefore);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync($"{function}-2", ticket, T0.AddSeconds(10))).Verdict);
        // A start after those keeps their order: the window after the fifth.
        Assert.Equal(T0.AddSeconds(20).AddMilliseconds(1), (await store.AdmitAsync($"{function}-5", ticket, T0.AddSeconds(10))).NotBefore);
    }

    [SkippableFact]
    public async Task A_reservation_taken_late_counts_at_its_real_start_so_no_window_holds_more_than_the_limit()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(Dialect);
        var ticket = new AdmissionTicket { Function = function, Rate = new RateClaim(AdmissionTicket.RateScope(function), "", 1, 2) };

        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync($"{function}-0", ticket, T0)).Verdict);
        // Reserved for T0 + 2 s and T0 + 4 s.
        Assert.Equal(T0.AddSeconds(2), (await store.AdmitAsync($"{function}-1", ticket, T0.AddMilliseconds(1))).NotBefore);
        Assert.Equal(T0.AddSeconds(4), (await store.AdmitAsync($"{function}-2", ticket, T0.AddMilliseconds(2))).NotBefore);

        // The first reservation is taken 0.3 s late (scheduler polling, a busy queue): it counts
        // from then, so the next, back on time at T0 + 4 s, is only 1.7 s after it and moves on.
        var late = T0.AddMilliseconds(2300);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync($"{function}-1", ticket, late)).Verdict);
        var moved = await store.AdmitAsync($"{function}-2", ticket, T0.AddSeconds(4));
        Assert.Equal(AdmissionVerdict.Delayed, moved.Verdict);
        Assert.Equal(late.AddSeconds(2), moved.NotBefore);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync($"{function}-2", ticket, late.AddSeconds(2))).Verdict);
        // A new start sees the real times too.
        Assert.Equal(late.AddSeconds(4), (await store.AdmitAsync($"{function}-3", ticket, late.AddMilliseconds(2100))).NotBefore);
    }

    [SkippableFact]
    public async Task Repair_frees_the_slots_of_finished_executions_and_reports_unwoken_holders()
    {
        var dialect = Dialect;
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(dialect);
        var executions = new DapperExecutionStore(dialect);
        var ticket = Ticket(function, 1);
        var holder = "a-" + Guid.NewGuid().ToString("N");
        var waiter = "b-" + Guid.NewGuid().ToString("N");
        await executions.CreateAsync(new NewExecution(holder, function, null, ExecutionStatus.Enqueued, new JsonObject(), null, T0));
        await executions.CreateAsync(new NewExecution(waiter, function, null, ExecutionStatus.Waiting, new JsonObject(), null, T0));
        await store.AdmitAsync(holder, ticket, T0);
        await store.AdmitAsync(waiter, ticket, T0);
        // The holder finished, but its release was lost (its node stopped in between).
        await executions.ApplyAsync(new StatusChange(holder, function, ExecutionStatus.Succeeded, T0.AddSeconds(1)));

        var repair = await store.RepairAsync(T0.AddSeconds(2), T0.AddSeconds(-60));

        Assert.Contains(repair.Granted, g => g.Id == waiter);
        Assert.Contains(waiter, repair.StillWaiting);
        Assert.DoesNotContain(await store.ListUsageAsync(), u => u.Function == function && u.Waiting > 0);
    }
}
