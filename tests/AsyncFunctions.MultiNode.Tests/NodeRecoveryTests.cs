using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// Node heartbeats and takeover across real server processes, on each shared job storage (the
/// subclasses at the end): a killed node's executions run again on another node after the node
/// timeout (not after the job storage's five-minute invisibility timeout set by the fixtures), the
/// dead node's fetched queue entry is removed so it cannot hand the job out a third time, a node
/// paused past the timeout does not complete what was taken from it, and a shorter pause takes
/// nothing over.
/// </summary>
public abstract class NodeRecoveryTests<TCluster>(TCluster cluster, ITestOutputHelper output) : IClassFixture<TCluster>
    where TCluster : ClusterFixture
{
    protected TCluster Cluster => cluster;

    protected ITestOutputHelper Output => output;

    [Fact]
    public async Task Executions_of_a_killed_node_finish_on_another_node_within_the_node_timeout_plus_their_run_time()
    {
        const int RunMs = 6000;
        await using var first = await cluster.StartNodeAsync("first", workerCount: 4);
        await using var second = await cluster.StartNodeAsync("second", workerCount: 4);
        var ids = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => StartAsync(JsonValue.Create(i), RunMs)));
        foreach (var id in ids)
        {
            await cluster.Api.WaitForStatusAsync(id, "Processing", TimeSpan.FromSeconds(60));
        }

        // Once Hangfire committed every start, kill the node running the most of them.
        await WaitUntilAsync(async () =>
        {
            var all = (await cluster.ProcessingOnAsync(await cluster.ServerIdAsync(first))).Concat(await cluster.ProcessingOnAsync(await cluster.ServerIdAsync(second)));
            return ids.All(all.Contains);
        }, TimeSpan.FromSeconds(30));
        var doomed = await RunnerOfMostAsync(ids, first, second);
        var survivor = doomed == first ? second : first;
        var running = await cluster.ProcessingOnAsync(await cluster.ServerIdAsync(doomed));
        var clock = Stopwatch.StartNew();
        var killedAt = DateTimeOffset.UtcNow;
        doomed.Kill();
        Assert.NotEmpty(running);

        // Node timeout + run time + a margin for a busy machine: far below the invisibility timeout.
        var limit = cluster.NodeTimeout + TimeSpan.FromMilliseconds(RunMs) + TimeSpan.FromSeconds(30);
        var outcome = await cluster.Api.AwaitAsync(ids, limit);
        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{survivor.Output}\n{cluster.Api.Output}");
        var target = cluster.NodeTimeout + TimeSpan.FromMilliseconds(RunMs) + TimeSpan.FromSeconds(2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"All {ids.Length} finished {clock.Elapsed.TotalSeconds:F1} s after the kill (node timeout {cluster.NodeTimeout.TotalSeconds} s + run time {RunMs / 1000.0} s + 2 s = {target.TotalSeconds} s); load average {Machine.LoadAverage()}."));
        for (var i = 0; i < ids.Length; i++)
        {
            var record = await GetAsync(ids[i]);
            Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
            Assert.Equal(i, record["output"]!.GetValue<int>());
            var history = await cluster.HistoryAsync(ids[i]);
            var takenOver = history.Any(s => s.Name == "Enqueued" && s.Reason?.StartsWith("Taken over from node", StringComparison.Ordinal) == true);
            Assert.Equal(running.Contains(ids[i]), takenOver);
            Assert.Equal(takenOver ? 2 : 1, record["attempts"]!.GetValue<int>());
            if (takenOver)
            {
                var restartedAfter = Time(record, "startedAt") - killedAt;
                var finishedAfter = Time(record, "completedAt") - killedAt;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ids[i]} started again {restartedAfter.TotalSeconds:F1} s and finished {finishedAfter.TotalSeconds:F1} s after the kill."));
                // The job's page shows the takeover in the execution panel.
                var page = await cluster.Api.Http.GetStringAsync($"/hangfire/jobs/details/{ids[i]}");
                Assert.Contains("class=\"af-takeover\"", page, StringComparison.Ordinal);
            }
        }

        // The Nodes page shows the dead node, when it last beat and that its work was taken over.
        var nodes = await cluster.Api.Http.GetStringAsync("/hangfire/nodes");
        var row = nodes.Split("<tr class=\"af-node\">").Single(r => r.Contains($":{doomed.ProcessId}:", StringComparison.Ordinal));
        Assert.Contains($"{running.Count} execution(s) requeued or ended", row, StringComparison.Ordinal);
    }

    /// <summary>
    /// The dead node's fetched queue entry is removed at the takeover. Left in place, it becomes
    /// visible again after the invisibility timeout (15 s here on PostgreSQL, so within the new
    /// run) and Hangfire hands the job to another worker, which moves it from Processing to
    /// Processing: the new run is stopped and the job runs a third time. On Redis the entry stays
    /// in the fetched list until the storage's watcher requeues it.
    /// </summary>
    [Fact]
    public async Task The_killed_node_s_fetched_queue_entry_is_removed_at_the_takeover_so_the_job_runs_only_twice()
    {
        const int RunMs = 25_000;
        (string, string)[] quick =
        [
            ("AsyncFunctions__Server__HeartbeatInterval", "00:00:01"),
            ("AsyncFunctions__Server__NodeTimeout", "00:00:04"),
            ("AsyncFunctions__Storage__PostgreSql__InvisibilityTimeout", "00:00:15"),
        ];
        await using var first = await cluster.StartNodeAsync("stale-1", workerCount: 2, quick);
        await using var second = await cluster.StartNodeAsync("stale-2", workerCount: 2, quick);
        var id = await StartAsync(JsonValue.Create("twice"), RunMs);
        await cluster.Api.WaitForStatusAsync(id, "Processing", TimeSpan.FromSeconds(60));
        var doomed = await RunnerOfMostAsync([id], first, second);
        var survivor = doomed == first ? second : first;
        Assert.Equal(1, await cluster.FetchedEntriesAsync(id));
        var killedAt = DateTimeOffset.UtcNow;
        doomed.Kill();

        // Taken over and started again on the survivor: only the survivor's fetch is left.
        await WaitUntilAsync(async () => (await GetAsync(id)) is var r && r["status"]!.GetValue<string>() == "Processing" && r["attempts"]!.GetValue<int>() == 2, TimeSpan.FromSeconds(90));
        var startedAgain = DateTimeOffset.UtcNow - killedAt;
        Assert.Contains(await cluster.HistoryAsync(id), s => s.Reason?.StartsWith("Taken over from node", StringComparison.Ordinal) == true);
        await WaitUntilAsync(async () => (await cluster.ProcessingOnAsync(await cluster.ServerIdAsync(survivor))).Contains(id), TimeSpan.FromSeconds(30));
        Assert.Equal(1, await cluster.FetchedEntriesAsync(id));

        var outcome = await cluster.Api.AwaitAsync([id], TimeSpan.FromSeconds(120));
        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{survivor.Output}");
        var record = await GetAsync(id);
        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        await WaitUntilAsync(async () => (await cluster.HistoryAsync(id)).Any(s => s.Name == "Succeeded"), TimeSpan.FromSeconds(30));
        var history = await cluster.HistoryAsync(id);
        Assert.True(history.Count(s => s.Name == "Processing") == 2, string.Join(" -> ", history.Select(s => $"{s.Name} ({s.Reason})")));
        Assert.Equal(2, record["attempts"]!.GetValue<int>());
        await WaitUntilAsync(async () => await cluster.FetchedEntriesAsync(id) == 0, TimeSpan.FromSeconds(30));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Started again {startedAgain.TotalSeconds:F1} s after the kill (node timeout 4 s), finished {(Time(record, "completedAt") - killedAt).TotalSeconds:F1} s after it; two runs, no queue entry left; load average {Machine.LoadAverage()}."));
    }

    [Fact]
    public async Task A_node_paused_past_the_timeout_does_not_complete_the_execution_taken_from_it()
    {
        const int RunMs = 12_000;
        await using var first = await cluster.StartNodeAsync("slow-or-other-1", workerCount: 2);
        await using var second = await cluster.StartNodeAsync("slow-or-other-2", workerCount: 2);
        var id = await StartAsync(JsonValue.Create("once"), RunMs);
        await cluster.Api.WaitForStatusAsync(id, "Processing", TimeSpan.FromSeconds(60));
        var slow = await RunnerOfMostAsync([id], first, second);
        var other = slow == first ? second : first;

        slow.Pause();
        try
        {
            // Taken over and started again on the other node (the second attempt), while the slow node sleeps.
            await WaitUntilAsync(async () => (await GetAsync(id)) is var r && r["status"]!.GetValue<string>() == "Processing" && r["attempts"]!.GetValue<int>() == 2, TimeSpan.FromSeconds(120));
            Assert.True(await cluster.WasTakenOverAsync(slow));
        }
        finally
        {
            slow.Resume();
        }

        // The slow node's run ends at once when it wakes (its delay is long over): a result written
        // now would show here, long before the new run's 12 s are up.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var meanwhile = await GetAsync(id);
        Assert.True(meanwhile["status"]!.GetValue<string>() == "Processing", $"{meanwhile.ToJsonString()}\n{slow.Output}");

        var outcome = await cluster.Api.AwaitAsync([id], TimeSpan.FromSeconds(90));
        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{other.Output}");
        var record = await GetAsync(id);
        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(2, record["attempts"]!.GetValue<int>());
        // The one result is the new run's: it took its whole run time.
        var ran = Time(record, "completedAt") - Time(record, "startedAt");
        Assert.True(ran >= TimeSpan.FromMilliseconds(RunMs - 500), $"The result came {ran.TotalSeconds:F1} s after the last start: {record.ToJsonString()}\n{slow.Output}");
        // The record is written inside Hangfire's state change, just before its commit.
        await WaitUntilAsync(async () => (await cluster.HistoryAsync(id)).Any(s => s.Name == "Succeeded"), TimeSpan.FromSeconds(30));
        Assert.Single(await cluster.HistoryAsync(id), s => s.Name == "Succeeded");
    }

    /// <summary>The node whose Hangfire server is processing the most of <paramref name="ids"/>.</summary>
    private async Task<ServerNode> RunnerOfMostAsync(string[] ids, params ServerNode[] nodes)
    {
        // The record shows Processing just before Hangfire commits the state: look a few times.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var counts = new List<(ServerNode Node, int Count)>();
            foreach (var node in nodes)
            {
                var running = await cluster.ProcessingOnAsync(await cluster.ServerIdAsync(node));
                counts.Add((node, ids.Count(running.Contains)));
            }

            var most = counts.MaxBy(c => c.Count);
            if (most.Count > 0)
            {
                return most.Node;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "None of the executions is processing on the nodes.");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_pause_shorter_than_the_node_timeout_takes_nothing_over()
    {
        await using var first = await cluster.StartNodeAsync("pause-1", workerCount: 2);
        await using var second = await cluster.StartNodeAsync("pause-2", workerCount: 2);
        var id = await StartAsync(JsonValue.Create("kept"), delayMs: 8000);
        await cluster.Api.WaitForStatusAsync(id, "Processing", TimeSpan.FromSeconds(60));
        var paused = await RunnerOfMostAsync([id], first, second);

        paused.Pause();
        await Task.Delay(TimeSpan.FromSeconds(5));
        paused.Resume();

        var outcome = await cluster.Api.AwaitAsync([id], TimeSpan.FromSeconds(60));
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        var record = await GetAsync(id);
        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(1, record["attempts"]!.GetValue<int>());
        Assert.DoesNotContain(await cluster.HistoryAsync(id), s => s.Reason?.StartsWith("Taken over", StringComparison.Ordinal) == true);
        Assert.False(await cluster.WasTakenOverAsync(paused));
    }

    private async Task<string> StartAsync(JsonNode value, int delayMs)
    {
        using var response = await cluster.Api.Http.PostAsJsonAsync(
            "/api/functions/examples.echo/executions",
            new JsonObject { ["input"] = new JsonObject { ["value"] = value, ["delayMs"] = delayMs } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private Task<JsonNode> GetAsync(string id) => cluster.Api.GetJsonAsync($"/api/executions/{id}");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The condition did not hold within {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    private static DateTimeOffset Time(JsonNode record, string field) =>
        DateTimeOffset.Parse(record[field]!.GetValue<string>(), CultureInfo.InvariantCulture);
}

/// <summary>Node recovery with jobs and results in PostgreSQL.</summary>
[Collection(nameof(RecoveryCollection))]
public sealed class PostgreSqlNodeRecoveryTests(RecoveryClusterFixture cluster, ITestOutputHelper output)
    : NodeRecoveryTests<RecoveryClusterFixture>(cluster, output);

/// <summary>Node recovery with jobs in Redis and results in PostgreSQL.</summary>
[Collection(nameof(RecoveryCollection))]
public sealed class RedisNodeRecoveryTests(RedisRecoveryClusterFixture cluster, ITestOutputHelper output)
    : NodeRecoveryTests<RedisRecoveryClusterFixture>(cluster, output)
{
    /// <summary>
    /// A job a node fetched from the queue but had not moved to Processing when it died (in Redis:
    /// its id in the fetched list and its <c>Fetched</c> time, nothing else) is put back at the
    /// takeover, not after the five-minute invisibility timeout; a fetch made well after the dead
    /// node's last heartbeat, as a living node's, is left alone. The window between a fetch and
    /// Processing cannot be hit with a real kill at will, so the test makes the fetch itself, with
    /// the storage's own two writes, right after killing the node.
    /// </summary>
    [Fact]
    public async Task A_job_the_killed_node_fetched_but_never_started_is_requeued_at_the_takeover()
    {
        // Nodes the class's other tests killed are taken over first: a fetch made within half a
        // node timeout of their last heartbeat would count as theirs.
        await Task.Delay(Cluster.NodeTimeout + TimeSpan.FromSeconds(5));

        // Both jobs wait in the default queue, which the node to be killed does not serve.
        var unstarted = await StartEchoAsync("unstarted");
        var recent = await StartEchoAsync("recent");
        var dead = await Cluster.StartNodeAsync("fetcher", workerCount: 2, ("AsyncFunctions__Server__Queues__0", "elsewhere"));
        await Cluster.ServerIdAsync(dead);
        var killedAt = DateTime.UtcNow;
        dead.Kill();
        await dead.DisposeAsync();
        Assert.Equal(unstarted, await Cluster.FetchAsIfByAWorkerAsync());
        // It died changing the job to Processing, holding the job's lock. Hangfire.Redis keeps a
        // lock 30 s past its last renewal; a minute here tells its release from its expiry on a
        // loaded machine.
        await Cluster.LockAsIfHeldByAsync(dead, $"job:{unstarted}:state-lock", TimeSpan.FromMinutes(1));

        // A fetch after the dead node's last heartbeat plus half the node timeout is not its own.
        var later = killedAt + Cluster.NodeTimeout / 2 + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        await Task.Delay(later > TimeSpan.Zero ? later : TimeSpan.Zero);
        Assert.Equal(recent, await Cluster.FetchAsIfByAWorkerAsync());

        await using var survivor = await Cluster.StartNodeAsync("runner", workerCount: 2);
        var outcome = await Cluster.Api.AwaitAsync([unstarted], TimeSpan.FromSeconds(90));
        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{Cluster.Api.Output}");
        var history = await Cluster.TimedHistoryAsync(unstarted);
        var started = history.First(h => h.Name == "Processing").At;
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The unstarted job started {(started - killedAt).TotalSeconds:F1} s after the kill (node timeout {Cluster.NodeTimeout.TotalSeconds} s); load average {Machine.LoadAverage()}."));
        Assert.True(started - killedAt < TimeSpan.FromSeconds(50), $"Started {(started - killedAt).TotalSeconds:F1} s after the kill: the dead node's lock was not released.");
        Assert.True(await Cluster.WasTakenOverAsync(dead));
        Assert.Equal(1, history.Count(h => h.Name == "Processing"));
        // The record is Succeeded just before Hangfire's commit, and the worker's fetched entry goes after it.
        for (var look = 0; look < 100 && await Cluster.FetchedEntriesAsync(unstarted) > 0; look++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, await Cluster.FetchedEntriesAsync(unstarted));
        var logged = Cluster.Api.Output + survivor.Output;
        Assert.True(logged.Contains($"Execution {unstarted} was requeued: node", StringComparison.Ordinal) && logged.Contains("had fetched it", StringComparison.Ordinal), logged);

        Assert.Equal(1, await Cluster.FetchedEntriesAsync(recent));
        Assert.Equal("Enqueued", (await Cluster.Api.GetJsonAsync($"/api/executions/{recent}"))["status"]!.GetValue<string>());
        await Cluster.PutBackAsync(recent);
        var rest = await Cluster.Api.AwaitAsync([recent], TimeSpan.FromSeconds(90));
        Assert.True(rest["completed"]!.GetValue<bool>(), rest.ToJsonString());
    }

    private async Task<string> StartEchoAsync(string value)
    {
        using var response = await Cluster.Api.Http.PostAsJsonAsync(
            "/api/functions/examples.echo/executions",
            new JsonObject { ["input"] = new JsonObject { ["value"] = value, ["delayMs"] = 100 } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }
}
