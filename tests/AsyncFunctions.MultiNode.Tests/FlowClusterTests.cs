using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// A concurrency limit on two worker nodes sharing PostgreSQL: the probe function notes, inside
/// its own run, when it began and ended, so the test counts how many ran at once from what the
/// runs themselves saw.
/// </summary>
public sealed class FlowClusterTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int Limit = 3;

    [Fact]
    public async Task Starts_of_a_function_with_limit_3_on_two_nodes_never_run_more_than_3_at_once_all_succeed_in_arrival_order()
    {
        // 200 starts on a 2-core machine shared with other builds: each run takes ~50 ms, so the
        // line alone is ~70 rounds of admission across the two nodes.
        const int Starts = 200;
        await using var first = await cluster.StartWorkerAsync("flow-a");
        await using var second = await cluster.StartWorkerAsync("flow-b");
        var name = await FlowProbe.SaveAsync(cluster, Limit);

        // One after another, alternating between the nodes: the arrival order is the index.
        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        for (var n = 0; n < Starts; n++)
        {
            ids.AddRange(await FlowProbe.StartAsync(n % 2 == 0 ? first : second, name, [n]));
        }

        var startsTook = clock.Elapsed;
        var records = await FlowProbe.FinishedAsync(cluster, ids, TimeSpan.FromMinutes(5), first, second);
        var allTook = clock.Elapsed;

        Assert.All(records, r => Assert.Equal("Succeeded", r["status"]!.GetValue<string>()));
        var runs = records.Select(FlowProbe.Run).ToList();
        Assert.Equal(Enumerable.Range(0, Starts), records.Select(r => r["output"]!["n"]!.GetValue<int>()));
        var most = FlowProbe.MostAtOnce(runs);
        Assert.True(most <= Limit, $"{most} runs at once");

        // FIFO: admission hands slots out in arrival order. An execution that waited was handed
        // its slots by a release (its Admitted state's GrantedAt: the release's time, on the node
        // that freed the slot); one that found a free slot was queued at its start. The queuing
        // itself comes later, on that node's wake-up loop, which a stalled node may hold up while
        // the other slots go on turning, so the order is checked on the hand-over. Two releases on
        // different nodes at nearly the same moment may stamp their grants in either order, by a
        // few milliseconds; more than the limit passing one execution means the line was not kept.
        var histories = new List<IReadOnlyList<(string Name, string? Reason, DateTime At)>>();
        var admittedAt = new List<DateTime>();
        foreach (var id in ids)
        {
            var history = await cluster.TimedHistoryAsync(id);
            histories.Add(history);
            admittedAt.Add(await cluster.GrantedAtAsync(id) ?? history.First(s => s.Name == "Enqueued").At);
        }

        var waited = histories.Count(h => h.Any(s => s.Name == "Waiting"));
        var overtakers = Enumerable.Range(0, Starts).Select(i => Enumerable.Range(i + 1, Starts - i - 1).Count(j => admittedAt[j] < admittedAt[i])).ToList();
        var overtaken = overtakers.Max();
        var worst = overtakers.IndexOf(overtaken);
        Assert.True(
            overtaken < Limit,
            $"execution {worst} ({ids[worst]}) was overtaken by {overtaken} later arrivals; handed its slots at {admittedAt[worst]:HH:mm:ss.fff}; its states: "
                + string.Join(", ", histories[worst].Select(h => $"{h.Name} {h.At:HH:mm:ss.fff} ({h.Reason})")));
        Assert.True(waited > Starts / 2, $"only {waited} executions waited for a slot");
        var bodyLate = Enumerable.Range(0, Starts).Max(i => Enumerable.Range(i + 1, Starts - i - 1).Count(j => runs[j].Begin < runs[i].Begin));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Starts} starts (limit {Limit}, 2 nodes of 4 workers): posted in {startsTook.TotalSeconds:F1} s, all finished after {allTook.TotalSeconds:F1} s; at most {most} at once; {waited} waited; most overtaken in the hand-over {overtaken}, in the bodies' own begin (sandbox start-up varies) {bodyLate}; load average {Machine.LoadAverage()}."));
    }

    [Fact]
    public async Task A_killed_node_holding_slots_gives_them_back_and_every_execution_finishes()
    {
        const int Starts = 9;
        const int RunMs = 3000;
        // The probe's sleep waits in place, so a run holds its worker and its slot while it sleeps.
        var inPlace = ("AsyncFunctions__Stacks__SuspendSleepsLongerThanMilliseconds", "60000");
        await using var first = await cluster.StartNodeAsync("flow-kill-a", workerCount: 4, inPlace);
        await using var second = await cluster.StartNodeAsync("flow-kill-b", workerCount: 4, inPlace);
        var name = await FlowProbe.SaveAsync(cluster, Limit, RunMs);
        var ids = await FlowProbe.StartAsync(first, name, Enumerable.Range(0, Starts));

        // Kill -9 the node running the most of the first three (each holds a slot).
        IReadOnlyList<string> onFirst = [], onSecond = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (onFirst.Count + onSecond.Count < Limit && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            onFirst = await cluster.ProcessingOnAsync(await cluster.ServerIdAsync(first));
            onSecond = await cluster.ProcessingOnAsync(await cluster.ServerIdAsync(second));
        }

        Assert.Equal(Limit, onFirst.Count + onSecond.Count);
        var doomed = onFirst.Count >= onSecond.Count ? first : second;
        var held = doomed == first ? onFirst : onSecond;
        var clock = Stopwatch.StartNew();
        doomed.Kill();

        var survivor = doomed == first ? second : first;
        var records = await FlowProbe.FinishedAsync(cluster, ids, cluster.NodeTimeout + TimeSpan.FromMinutes(3), survivor);
        Assert.All(records, r => Assert.Equal("Succeeded", r["status"]!.GetValue<string>()));
        var most = FlowProbe.MostAtOnce(records.Select(FlowProbe.Run));
        Assert.True(most <= Limit, $"{most} runs at once");
        foreach (var id in held)
        {
            var record = records[ids.IndexOf(id)];
            Assert.Equal(2, record["attempts"]!.GetValue<int>());
        }

        foreach (var r in records)
        {
            output.WriteLine($"{r["id"]} held={held.Contains(r["id"]!.GetValue<string>())} attempts={r["attempts"]} t0={r["output"]!["t0"]} t1={r["output"]!["t1"]} started={r["startedAt"]} completed={r["completedAt"]}");
        }

        // Every slot came back.
        Assert.Equal(0, await FlowProbe.SlotsLeftAsync(cluster, name));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Killed a node holding {held.Count} of {Limit} slots; all {Starts} executions ({RunMs} ms each) finished {clock.Elapsed.TotalSeconds:F1} s later (node timeout {cluster.NodeTimeout.TotalSeconds} s); at most {most} at once; load average {Machine.LoadAverage()}."));
    }
}
