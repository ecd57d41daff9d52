using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// The crash test of issue 25, shortened for CI, on each shared job storage (the subclasses at the
/// end): three nodes of four workers run fan-out parents (four children each) and plain executions
/// while nodes are killed with kill -9 and restarted. Nothing is lost, nothing runs again without
/// its attempts showing it, every parent resumes once, and the executions a killed node was
/// running start again well before the job storage's invisibility timeout (Hangfire.PostgreSql's
/// production default of one minute, which they waited for before: 57-63 s; five minutes on Redis
/// here, an hour by default). The test asserts p99 under 30 s (the node timeout of 10 s plus room
/// for a loaded 2-core machine running other test assemblies) and writes the measured delays to
/// its output; the figures are in docs/node-recovery.md.
/// </summary>
public abstract class CrashRecoveryTests<TCluster>(TCluster cluster, ITestOutputHelper output) : IClassFixture<TCluster>
    where TCluster : ClusterFixture
{
    private const int Parents = 12;
    private const int Children = 4;
    private const int Plain = 40;
    private const int RunMs = 2500;

    /// <summary>Settings of the worker nodes beside the cluster's.</summary>
    protected abstract (string Key, string Value)[] NodeSettings { get; }

    private const string Parent = """
        { "name": "crash.parent", "inputs": [ { "name": "count", "type": "int", "required": true }, { "name": "delayMs", "type": "int", "required": true } ],
          "stack": [
            { "var": "ids", "value": [] },
            { "for": "=$input.count", "index": "i", "do": [
                { "call": "examples.echo", "async": true, "input": { "value": "=$var.i", "delayMs": "=$input.delayMs" }, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" } ] },
            { "await": "=$var.ids", "timeoutSeconds": 600, "as": "outputs" },
            { "lambda": "return $var.outputs.reduce((a, b) => a + b, 0);", "as": "sum" } ],
          "response": "=$var.sum" }
        """;

    [Fact]
    public async Task Killing_nodes_under_load_loses_nothing_and_their_executions_start_again_long_before_the_invisibility_timeout()
    {
        var parentDocument = JsonNode.Parse(Parent)!;
        using (var saved = await cluster.Api.Http.PutAsJsonAsync("/api/functions/crash.parent", parentDocument))
        {
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        var nodes = (await Task.WhenAll(Enumerable.Range(1, 3).Select(i => StartNodeAsync($"node-{i}")))).ToList();
        var started = new List<ServerNode>(nodes);
        var kills = new List<(DateTime At, ServerNode Node, IReadOnlyList<string> Running)>();
        var clock = Stopwatch.StartNew();
        try
        {
            var parents = await Task.WhenAll(Enumerable.Range(0, Parents).Select(_ => StartAsync("crash.parent", new JsonObject { ["count"] = Children, ["delayMs"] = RunMs })));
            var plain = await Task.WhenAll(Enumerable.Range(0, Plain).Select(i => StartAsync("examples.echo", new JsonObject { ["value"] = i, ["delayMs"] = RunMs })));

            // Two rounds: kill the node running the most, and start a new one in its place.
            for (var round = 0; round < 2; round++)
            {
                await Task.Delay(TimeSpan.FromSeconds(round == 0 ? 4 : 12));
                var victims = new List<(ServerNode Node, string Server, IReadOnlyList<string> Running)>();
                foreach (var node in nodes)
                {
                    var server = await cluster.ServerIdAsync(node);
                    victims.Add((node, server, await cluster.ProcessingOnAsync(server)));
                }

                var victim = victims.MaxBy(v => v.Running.Count);
                var running = await cluster.ProcessingOnAsync(victim.Server);
                var at = DateTime.UtcNow;
                victim.Node.Kill();
                kills.Add((at, victim.Node, running));
                nodes.Remove(victim.Node);
                await victim.Node.DisposeAsync();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F1} s: killed {victim.Node.Name} running {running.Count} executions."));
                nodes.Add(await StartNodeAsync($"node-{4 + round}"));
                started.Add(nodes[^1]);
            }

            var all = parents.Concat(plain).ToArray();
            JsonNode outcome;
            do
            {
                outcome = await cluster.Api.AwaitAsync(all, TimeSpan.FromSeconds(100));
            }
            while (!outcome["completed"]!.GetValue<bool>() && clock.Elapsed < TimeSpan.FromMinutes(4));

            Assert.True(outcome["completed"]!.GetValue<bool>(), await DescribeUnfinishedAsync(outcome));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Parents} parents x {Children} children and {Plain} plain executions finished {clock.Elapsed.TotalSeconds:F1} s after the start."));

            // Recovery delay: from the kill to the moment each execution the killed node was running
            // is on its way again: its next start after the takeover's requeue, or, for a parent the
            // node had suspended (it died between the record's suspension and Hangfire's commit of
            // it), the takeover's Suspended state; its resume waits for its children, whose own
            // recovery counts, and is timed apart below. A job that was no longer Processing when
            // its node died (it finished between the look and the kill) needed no recovery.
            var delays = new List<double>();
            var api = new[] { cluster.Api };
            foreach (var (at, victim, running) in kills)
            {
                var declared = await cluster.TakenOverAtAsync(victim);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Kill of {victim.Name} at {at:HH:mm:ss.fff}: declared dead and claimed +{((declared ?? at) - at).TotalSeconds:F1} s{(declared is null ? " (never)" : "")}; it was running {running.Count}."));

                foreach (var id in running)
                {
                    var history = await cluster.TimedHistoryAsync(id);
                    var before = history.LastOrDefault(h => h.At <= at);
                    var after = history.Where(h => h.At > at).ToList();
                    var steps = string.Join(" -> ", after.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Name}{(IsTakeover(h.Reason) ? " (takeover)" : "")} +{(h.At - at).TotalSeconds:F1}s")));
                    if (before.Name != "Processing")
                    {
                        output.WriteLine($"  {id}: {before.Name} at the kill, not running; then {steps}");
                        continue;
                    }

                    // A state its node committed as it was being killed (Kill returns after the look).
                    if (after.Count > 0 && after[0].Name != "Processing" && !IsTakeover(after[0].Reason) && after[0].At - at < TimeSpan.FromSeconds(1))
                    {
                        output.WriteLine($"  {id}: ended as its node was killed; {steps}");
                        continue;
                    }

                    var takeover = after.FindIndex(h => IsTakeover(h.Reason));
                    Assert.True(takeover >= 0, $"{id} was Processing on {victim.Name} at its kill but was not taken over: {steps}");
                    double delay;
                    if (after[takeover].Name == "Enqueued")
                    {
                        var next = after.Skip(takeover).FirstOrDefault(h => h.Name == "Processing");
                        Assert.True(next != default, $"{id} never started again after the kill at {at:O}: {steps}");
                        delay = (next.At - at).TotalSeconds;
                    }
                    else
                    {
                        delay = (after[takeover].At - at).TotalSeconds;
                    }

                    delays.Add(delay);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {id}: recovered +{delay:F1}s; {steps}"));
                }
            }

            // The takeovers' own account: how long listing the dead node's jobs and each requeue took.
            foreach (var line in started.Concat(api).SelectMany(n => n.Output.Split('\n')).Where(l => l.Contains("Taking node", StringComparison.Ordinal) || l.Contains("was requeued", StringComparison.Ordinal) || l.Contains("locks that node", StringComparison.Ordinal)))
            {
                output.WriteLine("  takeover log: " + line.Trim());
            }

            // A parent's resume: from its last child's end to its next start.
            var resumes = new List<double>();
            foreach (var parent in parents)
            {
                var kids = (await cluster.Api.GetJsonAsync($"/api/executions?parentId={parent}&limit=100"))["items"]!.AsArray();
                if (kids.Count == 0 || kids.Any(k => k!["completedAt"] is null))
                {
                    continue;
                }

                var done = kids.Select(k => DateTime.Parse(k!["completedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal)).Max();
                var resumed = (await cluster.TimedHistoryAsync(parent)).FirstOrDefault(h => h.Name == "Processing" && h.At >= done);
                if (resumed != default)
                {
                    resumes.Add((resumed.At - done).TotalSeconds);
                }
            }

            resumes.Sort();
            if (resumes.Count > 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Parents' resume (last child's end -> next start), {resumes.Count} parents: p50 {Percentile(resumes, 0.50):F1} s, max {resumes[^1]:F1} s."));
            }

            var children = new List<string>();
            foreach (var parent in parents)
            {
                var record = await GetAsync(parent);
                Assert.True(record["status"]!.GetValue<string>() == "Succeeded", record.ToJsonString());
                Assert.Equal(0 + 1 + 2 + 3, record["output"]!.GetValue<int>());
                Assert.True(record["resumes"]!.GetValue<int>() == 1, $"{record.ToJsonString()}\n  Hangfire: {string.Join(" -> ", (await cluster.TimedHistoryAsync(parent)).Select(h => $"{h.Name} {h.At:HH:mm:ss.fff} ({h.Reason})"))}\n{string.Join("\n", kills.Select(k => $"kill at {k.At:HH:mm:ss.fff}"))}");
                var kids = (await cluster.Api.GetJsonAsync($"/api/executions?parentId={parent}&limit=100"))["items"]!.AsArray();
                // A parent killed before it suspended runs again from the start (its attempts show
                // it) and starts its children again; one that ran once started exactly its own.
                if (record["attempts"]!.GetValue<int>() == 1)
                {
                    Assert.Equal(Children, kids.Count);
                }
                else
                {
                    Assert.InRange(kids.Count, Children, Children * record["attempts"]!.GetValue<int>());
                }

                children.AddRange(kids.Select(k => k!["id"]!.GetValue<string>()));
            }

            // Every run is accounted for: each Processing state is an attempt or a resume. (An attempt
            // may show without a run: a node killed between recording Processing and Hangfire's
            // commit of it counted an attempt that never began.)
            foreach (var id in all.Concat(children))
            {
                var record = await GetAsync(id);
                Assert.True(record["status"]!.GetValue<string>() == "Succeeded", record.ToJsonString());
                var runs = (await cluster.ProcessingStartsAsync(id)).Count;
                Assert.True(runs <= record["attempts"]!.GetValue<int>() + record["resumes"]!.GetValue<int>(), $"{runs} runs: {record.ToJsonString()}");
            }

            Assert.NotEmpty(delays);
            delays.Sort();
            var p99 = Percentile(delays, 0.99);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Recovery delay (kill -> next start), {delays.Count} executions: min {delays[0]:F1} s, p50 {Percentile(delays, 0.50):F1} s, p99 {p99:F1} s, max {delays[^1]:F1} s; load average {Machine.LoadAverage()}."));
            Assert.True(p99 < 15, $"Recovery delay p99 {p99:F1} s: {string.Join(", ", delays.Select(d => d.ToString("F1", CultureInfo.InvariantCulture)))}");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>The unfinished executions with their records and Hangfire histories, for a failure message.</summary>
    private async Task<string> DescribeUnfinishedAsync(JsonNode outcome)
    {
        var lines = new List<string>();
        foreach (var result in outcome["results"]!.AsArray().Where(r => r!["status"]!.GetValue<string>() != "Succeeded"))
        {
            var id = result!["id"]!.GetValue<string>();
            lines.Add((await GetAsync(id)).ToJsonString());
            lines.Add("  Hangfire: " + string.Join(" -> ", (await cluster.HistoryAsync(id)).Select(s => $"{s.Name} ({s.Reason})")));
        }

        return string.Join("\n", lines);
    }

    private static bool IsTakeover(string? reason) => reason?.StartsWith("Taken over from node", StringComparison.Ordinal) == true;

    /// <summary>
    /// The test times recovery, not the sandbox: on this 2-core machine at a load average over 100
    /// a sandbox process took more than its 30 s to start and a lambda more than its 5 s, which
    /// failed executions for reasons that have nothing to do with a takeover.
    /// </summary>
    private static readonly (string Key, string Value)[] LoadTolerance =
    [
        ("AsyncFunctions__Stacks__Sandbox__StartTimeout", "00:02:00"),
        ("AsyncFunctions__Stacks__Limits__JsTimeout", "00:00:30"),
    ];

    private Task<ServerNode> StartNodeAsync(string name) => cluster.StartNodeAsync(name, workerCount: 4, [.. LoadTolerance, .. NodeSettings]);

    private async Task<string> StartAsync(string function, JsonObject input)
    {
        using var response = await cluster.Api.Http.PostAsJsonAsync($"/api/functions/{function}/executions", new JsonObject { ["input"] = input });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private Task<JsonNode> GetAsync(string id) => cluster.Api.GetJsonAsync($"/api/executions/{id}");

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// <summary>The crash test with jobs and results in PostgreSQL, at Hangfire.PostgreSql's production invisibility timeout (1 min).</summary>
[Collection(nameof(RecoveryCollection))]
public sealed class PostgreSqlCrashRecoveryTests(RecoveryClusterFixture cluster, ITestOutputHelper output)
    : CrashRecoveryTests<RecoveryClusterFixture>(cluster, output)
{
    protected override (string Key, string Value)[] NodeSettings { get; } = [("AsyncFunctions__Storage__PostgreSql__InvisibilityTimeout", "00:01:00")];
}

/// <summary>The crash test with jobs in Redis and results in PostgreSQL.</summary>
[Collection(nameof(RecoveryCollection))]
public sealed class RedisCrashRecoveryTests(RedisRecoveryClusterFixture cluster, ITestOutputHelper output)
    : CrashRecoveryTests<RedisRecoveryClusterFixture>(cluster, output)
{
    protected override (string Key, string Value)[] NodeSettings { get; } = [];
}
