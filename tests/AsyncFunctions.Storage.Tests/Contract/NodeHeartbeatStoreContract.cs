using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Nodes;
using AsyncFunctions.Storage.Nodes;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The nodes table: heartbeats, the takeover claim that only one survivor wins, and the sync runs of a node.</summary>
public abstract class NodeHeartbeatStoreContract(IStoreFixture fixture)
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

    private static string NewNode() => "host:1:" + Guid.NewGuid().ToString("N");

    [SkippableFact]
    public async Task Each_beat_counts_one_and_the_row_shows_the_latest()
    {
        var store = new DapperNodeHeartbeatStore(Dialect);
        var node = NewNode();

        var first = await store.BeatAsync(node, null, At, At);
        var second = await store.BeatAsync(node, "server-1", At, At.AddSeconds(2));

        Assert.Equal((1L, (long?)null), (first.Beats, first.TakenOverBeats));
        Assert.Equal(2L, second.Beats);
        var row = Assert.Single(await store.ListAsync(), n => n.NodeId == node);
        Assert.Equal(("server-1", 2L, At, At.AddSeconds(2)), (row.ServerId, row.Beats, row.StartedAt, row.LastHeartbeatAt));
        Assert.False(row.IsTakenOver);
    }

    [SkippableFact]
    public async Task Of_survivors_claiming_a_silent_node_at_once_exactly_one_wins()
    {
        var node = NewNode();
        await new DapperNodeHeartbeatStore(Dialect).BeatAsync(node, "server", At, At);

        // Each claimer on its own dialect instance: as separate nodes.
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            new DapperNodeHeartbeatStore(Dialect).ClaimTakeoverAsync(node, observedBeats: 1, claimedBy: $"survivor-{i}", At.AddSeconds(12))));

        Assert.Equal(1, claims.Count(c => c));
        var row = Assert.Single(await new DapperNodeHeartbeatStore(Dialect).ListAsync(), n => n.NodeId == node);
        Assert.True(row.IsTakenOver);
        Assert.Equal(At.AddSeconds(12), row.TakenOverAt);
        Assert.StartsWith("survivor-", row.TakenOverBy, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_node_that_beat_since_it_was_observed_cannot_be_claimed_and_one_that_comes_back_learns_of_its_takeover()
    {
        var store = new DapperNodeHeartbeatStore(Dialect);
        var node = NewNode();
        await store.BeatAsync(node, "server", At, At);
        await store.BeatAsync(node, "server", At, At.AddSeconds(2));

        Assert.False(await store.ClaimTakeoverAsync(node, observedBeats: 1, "late-observer", At.AddSeconds(12)));
        Assert.True(await store.ClaimTakeoverAsync(node, observedBeats: 2, "observer", At.AddSeconds(13)));
        Assert.False(await store.ClaimTakeoverAsync(node, observedBeats: 2, "second-observer", At.AddSeconds(13)));

        var back = await store.BeatAsync(node, "server", At, At.AddSeconds(20));
        Assert.Equal((3L, (long?)2L, "observer"), (back.Beats, back.TakenOverBeats, back.TakenOverBy));
        var row = Assert.Single(await store.ListAsync(), n => n.NodeId == node);
        Assert.False(row.IsTakenOver);
        await store.RecordTakenOverAsync(node, 7);
        Assert.Equal(7, Assert.Single(await store.ListAsync(), n => n.NodeId == node).TakenOverExecutions);
    }

    [SkippableFact]
    public async Task A_nodes_unfinished_sync_runs_are_listed_for_its_takeover()
    {
        var dialect = Dialect;
        var executions = new DapperExecutionStore(dialect);
        var nodes = new DapperNodeHeartbeatStore(dialect);
        var node = NewNode();
        var running = "sync-run-" + Guid.NewGuid().ToString("N");
        var finished = "sync-done-" + Guid.NewGuid().ToString("N");
        var elsewhere = "sync-other-" + Guid.NewGuid().ToString("N");
        foreach (var id in new[] { running, finished, elsewhere })
        {
            await executions.CreateAsync(new NewExecution(id, "fn", null, ExecutionStatus.Enqueued, new JsonObject(), null, At, 0, At.AddMinutes(2)));
            await executions.ApplyAsync(new StatusChange(id, "fn", ExecutionStatus.Processing, At));
        }

        await executions.ApplyAsync(new StatusChange(finished, "fn", ExecutionStatus.Succeeded, At.AddSeconds(1)));
        await nodes.MarkSyncRunsAsync(node, [running, finished]);
        await nodes.MarkSyncRunsAsync(NewNode(), [elsewhere]);

        var listed = await nodes.ListSyncRunsAsync(node);

        Assert.Equal([new LeasedExecution(running, "fn")], listed);
    }

    [SkippableFact]
    public async Task Rows_of_nodes_silent_for_long_are_forgotten()
    {
        var store = new DapperNodeHeartbeatStore(Dialect);
        var old = NewNode();
        var recent = NewNode();
        await store.BeatAsync(old, null, At.AddDays(-3), At.AddDays(-2));
        await store.BeatAsync(recent, null, At, At);

        await store.ForgetAsync(At.AddDays(-1));

        var ids = (await store.ListAsync()).Select(n => n.NodeId).ToList();
        Assert.DoesNotContain(old, ids);
        Assert.Contains(recent, ids);
    }
}
