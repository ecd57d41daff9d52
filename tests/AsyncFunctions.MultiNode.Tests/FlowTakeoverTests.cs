using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// A node that dies holding every slot of a limit, on the recovery cluster (Hangfire's
/// invisibility timeout at five minutes): the dead node's executions can run again only through
/// the node takeover, which requeues them with their slots, and the waiters follow as those
/// finish. In the recovery collection, so no other timed test shares the cores.
/// </summary>
[Collection(nameof(RecoveryCollection))]
public sealed class FlowTakeoverTests(RecoveryClusterFixture cluster, ITestOutputHelper output) : IClassFixture<RecoveryClusterFixture>
{
    private const int Limit = 2;
    private const int Waiters = 4;
    private const int RunMs = 1500;

    [Fact]
    public async Task A_node_killed_holding_every_slot_of_a_limit_gives_them_back_through_the_takeover_and_the_waiters_all_finish()
    {
        // The probe sleeps $env.RUN_MS in place (holding its worker and its slot): on the first node
        // longer than the test, so its runs end only by the kill; on the survivor RunMs.
        var inPlace = ("AsyncFunctions__Stacks__SuspendSleepsLongerThanMilliseconds", "600000");
        await using var holder = await cluster.StartNodeAsync("flow-holder", workerCount: 4, inPlace, ("AsyncFunctions__Stacks__Env__RUN_MS", "300000"));
        var name = await FlowProbe.SaveAsync(cluster, Limit, "=+$env.RUN_MS");

        // The only worker node takes both slots.
        var held = await FlowProbe.StartAsync(cluster.Api, name, Enumerable.Range(0, Limit));
        var holderServer = await cluster.ServerIdAsync(holder);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await cluster.ProcessingOnAsync(holderServer)).Intersect(held).Count() < Limit && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(held.Order(), (await cluster.ProcessingOnAsync(holderServer)).Intersect(held).Order());

        // A second node joins; every later start waits for a slot the first node holds.
        await using var survivor = await cluster.StartNodeAsync("flow-survivor", workerCount: 4, inPlace, ("AsyncFunctions__Stacks__Env__RUN_MS", RunMs.ToString(CultureInfo.InvariantCulture)));
        await cluster.ServerIdAsync(survivor);
        var waiting = await FlowProbe.StartAsync(cluster.Api, name, Enumerable.Range(Limit, Waiters));
        foreach (var id in waiting)
        {
            await cluster.Api.WaitForStatusAsync(id, "Waiting", TimeSpan.FromSeconds(30));
        }

        var clock = Stopwatch.StartNew();
        holder.Kill();

        // The documented bound (node timeout + heartbeat + sweep) plus the runs and a margin for a
        // busy machine: far below the five-minute invisibility timeout.
        var ids = held.Concat(waiting).ToList();
        var records = await FlowProbe.FinishedAsync(cluster, ids, cluster.NodeTimeout + TimeSpan.FromSeconds(45), survivor);
        var finishedAfter = clock.Elapsed;
        Assert.All(records, r => Assert.Equal("Succeeded", r["status"]!.GetValue<string>()));
        Assert.True(await cluster.WasTakenOverAsync(holder), "no takeover of the killed node is recorded");

        // The killed node's executions were requeued by the takeover and ran again with the slots
        // they held; no waiter was admitted before one of them had finished its second run.
        var heldRuns = new List<(long Begin, long End)>();
        foreach (var id in held)
        {
            var record = records[ids.IndexOf(id)];
            var history = await cluster.HistoryAsync(id);
            Assert.Contains(history, s => s.Name == "Enqueued" && s.Reason?.StartsWith("Taken over from node", StringComparison.Ordinal) == true);
            Assert.DoesNotContain(history, s => s.Name == "Waiting");
            Assert.Equal(2, record["attempts"]!.GetValue<int>());
            heldRuns.Add(FlowProbe.Run(record));
        }

        var firstRelease = heldRuns.Min(r => r.End);
        foreach (var id in waiting)
        {
            var record = records[ids.IndexOf(id)];
            Assert.Contains(await cluster.HistoryAsync(id), s => s.Name == "Waiting");
            Assert.Equal(1, record["attempts"]!.GetValue<int>());
            Assert.True(FlowProbe.Run(record).Begin >= firstRelease, $"waiter {id} began before a slot holder's second run ended");
        }

        var most = FlowProbe.MostAtOnce(records.Select(FlowProbe.Run));
        Assert.True(most <= Limit, $"{most} runs at once");
        Assert.Equal(0, await FlowProbe.SlotsLeftAsync(cluster, name));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Killed the node holding all {Limit} slots with {Waiters} waiters; all {ids.Count} executions ({RunMs} ms each) finished {finishedAfter.TotalSeconds:F1} s later (node timeout {cluster.NodeTimeout.TotalSeconds} s); at most {most} at once; load average {Machine.LoadAverage()}."));
    }
}
