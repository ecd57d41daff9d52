using AsyncFunctions.FlowControl;
using AsyncFunctions.Storage.FlowControl;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// On PostgreSQL a slot's release and its hand-over to the next waiter are one command (one round
/// trip, its statements committed together), and a line the one statement cannot decide (its head
/// waits for other limits too) is left unchanged by it and decided by the general path.
/// </summary>
public sealed class FlowReleaseRoundTripTests(PostgreSqlStoreFixture fixture) : IClassFixture<PostgreSqlStoreFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static string NewFunction() => "flow." + Guid.NewGuid().ToString("N")[..12];

    private static AdmissionTicket Ticket(string function, params (int Index, string Key, int Limit)[] limits) => new()
    {
        Function = function,
        Slots = limits.Select(l => new SlotClaim(AdmissionTicket.ConcurrencyScope(function, l.Index), l.Key, l.Limit)).ToList(),
    };

    [Fact]
    public async Task A_release_handing_its_slot_to_a_waiter_of_that_limit_alone_is_one_command()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(fixture.CreateDialect());
        var ticket = Ticket(function, (0, "", 1));
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("a-" + function, ticket, T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("b-" + function, ticket, T0.AddSeconds(1))).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("c-" + function, ticket, T0.AddSeconds(2))).Verdict);

        using var log = new NpgsqlCommandLog(fixture.ConnectionString);
        IReadOnlyList<GrantedWaiter> granted;
        IReadOnlyList<string> commands;
        using (var trace = log.Trace())
        {
            granted = await store.ReleaseAsync(function, "a-" + function, suspending: false, T0.AddSeconds(3));
            commands = log.CommandsOf(trace);
        }

        var waiter = Assert.Single(granted);
        Assert.Equal(("b-" + function, function, T0.AddSeconds(1), T0.AddSeconds(3)), (waiter.Id, waiter.Function, waiter.WaitingSince, waiter.GrantedAt));
        // Before: the lock and the freeing, the key with its waiters, the waiters' rows, the grant (and the commit).
        var command = Assert.Single(commands);
        Assert.Contains("INSERT INTO af_flow_locks", command, StringComparison.Ordinal);
        Assert.Contains("DELETE FROM af_flow_slots", command, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO af_flow_slots", command, StringComparison.Ordinal);

        // What the one command wrote landed: b holds the slot, c still waits, a holds nothing.
        var usage = Assert.Single(await store.ListUsageAsync(), u => u.Function == function);
        Assert.Equal((1, 1), (usage.Running, usage.Waiting));
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("b-" + function, ticket, T0.AddSeconds(4))).Verdict);
        Assert.Contains("1 running, 0 waiting ahead", (await store.AdmitAsync("c-" + function, ticket, T0.AddSeconds(4))).WaitingFor, StringComparison.Ordinal);
        Assert.Empty(await store.ReleaseAsync(function, "a-" + function, suspending: false, T0.AddSeconds(5)));
    }

    [Fact]
    public async Task A_release_whose_next_waiter_needs_another_limit_too_is_decided_by_the_general_path()
    {
        var function = NewFunction();
        var store = new DapperFlowAdmissionStore(fixture.CreateDialect());
        AdmissionTicket Both(string customer) => Ticket(function, (0, "", 2), (1, customer, 1));
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("x1-" + function, Both("x"), T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("x2-" + function, Both("x"), T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Admitted, (await store.AdmitAsync("y1-" + function, Both("y"), T0)).Verdict);
        Assert.Equal(AdmissionVerdict.Waiting, (await store.AdmitAsync("z1-" + function, Both("z"), T0)).Verdict);

        using var log = new NpgsqlCommandLog(fixture.ConnectionString);
        IReadOnlyList<GrantedWaiter> granted;
        IReadOnlyList<string> commands;
        using (var trace = log.Trace())
        {
            granted = await store.ReleaseAsync(function, "x1-" + function, suspending: false, T0.AddSeconds(1));
            commands = log.CommandsOf(trace);
        }

        // x2 waits for both limits: the one statement changes nothing and the batched path hands both slots to it.
        Assert.Equal(["x2-" + function], granted.Select(g => g.Id));
        Assert.True(commands.Count > 1, string.Join(Environment.NewLine, commands));
        Assert.Contains("WITH freed AS", commands[0], StringComparison.Ordinal);
        var usage = (await store.ListUsageAsync()).Where(u => u.Function == function).ToList();
        Assert.Equal(2, usage.Single(u => u.Key.Length == 0).Running);
        Assert.Equal((1, 0), usage.Where(u => u.Key == "x").Select(u => (u.Running, u.Waiting)).Single());
    }
}
