using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// Real server processes on one PostgreSQL database: an API-only node accepts and awaits, worker
/// nodes run. Timeouts are generous (a busy 2-core machine); the cross-node wake-up delay is
/// measured and written to the test output, not asserted.
/// </summary>
public sealed class MultiNodeTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_node_runs_what_the_api_node_accepted_and_the_await_there_wakes_promptly()
    {
        await using var worker = await cluster.StartWorkerAsync("worker-1");

        var first = await StartAsync(new JsonObject { ["n"] = 1, ["text"] = "ü" }, delayMs: 100);
        var outcome = await AwaitAsync(first, Generous);
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        Assert.Equal("""{"n":1,"text":"ü"}""", outcome["results"]![0]!["output"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        // The wake-up delay: from the moment the worker node finished (completedAt; its state change
        // and result write follow) to the API node's answer, both processes sharing this machine's
        // clock. Once with LISTEN/NOTIFY, once
        // on a second API node that relies on the results-table poll alone, for comparison.
        await MeasureWakeUpAsync(cluster.Api, "LISTEN/NOTIFY");
        await using var pollingApi = await cluster.StartNodeAsync("api-polling", workerCount: 0, ("AsyncFunctions__Storage__PostgreSql__ListenForCompletions", "false"));
        await MeasureWakeUpAsync(pollingApi, "poll only");
    }

    [Fact]
    public async Task An_execution_of_a_killed_worker_runs_again_on_another_worker()
    {
        var crashing = await cluster.StartWorkerAsync("worker-crashing");
        string id;
        try
        {
            id = await StartAsync(JsonValue.Create("survivor"), delayMs: 3000);
            await cluster.Api.WaitForStatusAsync(id, "Processing", Generous);
            crashing.Kill();
        }
        finally
        {
            await crashing.DisposeAsync();
        }

        var clock = Stopwatch.StartNew();
        await using var replacement = await cluster.StartWorkerAsync("worker-replacement");
        var outcome = await AwaitAsync(id, TimeSpan.FromSeconds(90));

        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{replacement.Output}");
        Assert.Equal("Succeeded", outcome["results"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("survivor", outcome["results"]![0]!["output"]!.GetValue<string>());
        var record = await GetAsync(id);
        var history = await cluster.HistoryAsync(id);
        Assert.True(record["attempts"]!.GetValue<int>() == 2, $"attempts {record["attempts"]}: " + string.Join(" -> ", history.Select(s => $"{s.Name} ({s.Reason})")));
        output.WriteLine($"Re-run after the crash finished {clock.Elapsed.TotalSeconds:F1} s after the replacement worker was started.");
    }

    [Fact]
    public async Task The_takeover_leaves_a_killed_worker_s_job_to_a_living_worker_that_fetched_it_again()
    {
        await using var crashing = await cluster.StartWorkerAsync("worker-refetched");
        var id = await StartAsync(JsonValue.Create("refetched"), delayMs: 30_000);
        await cluster.Api.WaitForStatusAsync(id, "Processing", Generous);
        // The row says Processing just before Hangfire's own Processing state commits: a kill in
        // between leaves a job that was fetched but never started, which is another case.
        var started = Stopwatch.StartNew();
        while ((await cluster.HistoryAsync(id))[^1].Name != "Processing")
        {
            Assert.True(started.Elapsed < Generous, "The job's Processing state never committed.");
            await Task.Delay(50);
        }

        crashing.Kill();

        // What a living worker does once the invisibility timeout (5 s here) let it fetch the dead
        // worker's queue row, before it moves the job to Processing on its own server: it holds the
        // row and renews it. (No worker runs here, so the job stays as the dead worker left it.)
        var clock = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            // Until the takeover has dealt with the job: its claim of the node is recorded first and
            // the requeue (if any) follows within moments; a node timeout more covers that generously.
            TimeSpan? claimed = null;
            while (claimed is null || clock.Elapsed < claimed + TimeSpan.FromSeconds(10))
            {
                claimed ??= await cluster.WasTakenOverAsync(crashing) ? clock.Elapsed : null;
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "The killed worker was never taken over.");
                await using var renew = new NpgsqlCommand("UPDATE hangfire.jobqueue SET fetchedat = NOW() WHERE jobid = @id", connection);
                renew.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
                Assert.Equal(1, await renew.ExecuteNonQueryAsync());
                await Task.Delay(250);
            }
        }

        // A requeue beside that worker's run would run the job twice at once.
        var history = await cluster.HistoryAsync(id);
        Assert.DoesNotContain(history, s => s.Reason?.StartsWith("Taken over", StringComparison.Ordinal) == true);
        Assert.Equal("Processing", history[^1].Name);
        Assert.Equal(1, await cluster.FetchedEntriesAsync(id));
        output.WriteLine($"Takeover {clock.Elapsed.TotalSeconds:F1} s after the kill left the job alone; load average {Machine.LoadAverage()}.");

        // The pretended worker goes too: nothing is to run the job in the other tests' workers.
        await using var cleanup = new NpgsqlConnection(cluster.ConnectionString);
        await cleanup.OpenAsync();
        await using var delete = new NpgsqlCommand("DELETE FROM hangfire.jobqueue WHERE jobid = @id", cleanup);
        delete.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
        await delete.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_job_fetched_and_then_left_by_its_worker_runs_once_its_invisibility_ends()
    {
        // Only the API node runs: the job waits in the queue.
        var id = await StartAsync(JsonValue.Create("left behind"), delayMs: 0);

        // What a worker leaves when it fetched the job and then neither started nor released it
        // (seen from Hangfire.PostgreSql under CPU contention): the queue row claimed, the job Enqueued.
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var claim = new NpgsqlCommand("UPDATE hangfire.jobqueue SET fetchedat = NOW() WHERE jobid = @id AND fetchedat IS NULL", connection);
            claim.Parameters.AddWithValue("id", long.Parse(id, CultureInfo.InvariantCulture));
            Assert.Equal(1, await claim.ExecuteNonQueryAsync());
        }

        var clock = Stopwatch.StartNew();
        await using var worker = await cluster.StartWorkerAsync("worker-after-claim");
        var outcome = await AwaitAsync(id, Generous);

        Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{worker.Output}");
        Assert.Equal("Succeeded", outcome["results"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("left behind", outcome["results"]![0]!["output"]!.GetValue<string>());
        // The claim never started an attempt: the run after it is the first.
        Assert.Equal(1, (await GetAsync(id))["attempts"]!.GetValue<int>());
        output.WriteLine($"Run {clock.Elapsed.TotalSeconds:F1} s after the worker node was started (invisibility timeout {ClusterFixture.Settings["AsyncFunctions__Storage__PostgreSql__InvisibilityTimeout"]}).");
    }

    private async Task MeasureWakeUpAsync(ServerNode api, string how)
    {
        const int Runs = 50;
        var delays = new List<double>();
        var pickups = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            var id = await StartAsync(JsonValue.Create(i), delayMs: 60, api);
            var result = await AwaitAsync(id, Generous, api);
            var answeredAt = DateTimeOffset.UtcNow;
            Assert.True(result["completed"]!.GetValue<bool>(), result.ToJsonString());
            var record = await GetAsync(id);
            var completedAt = Time(record, "completedAt");
            delays.Add((answeredAt - completedAt).TotalMilliseconds);
            pickups.Add((Time(record, "startedAt") - Time(record, "createdAt")).TotalMilliseconds);
        }

        delays.Sort();
        pickups.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Job pick-up across nodes (accepted on the API node -> started on the worker node), {Runs} runs: p50 {Percentile(pickups, 0.50):F1} ms, p99 {Percentile(pickups, 0.99):F1} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Cross-node await wake-up, {how} (finished on the worker node -> API node answer), {Runs} runs: p50 {Percentile(delays, 0.50):F1} ms, p99 {Percentile(delays, 0.99):F1} ms, max {delays[^1]:F1} ms"));
    }

    private async Task<string> StartAsync(JsonNode value, int delayMs, ServerNode? api = null)
    {
        using var response = await (api ?? cluster.Api).Http.PostAsJsonAsync(
            "/api/functions/examples.echo/executions",
            new JsonObject { ["input"] = new JsonObject { ["value"] = value, ["delayMs"] = delayMs } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private Task<JsonNode> AwaitAsync(string id, TimeSpan timeout, ServerNode? api = null) => (api ?? cluster.Api).AwaitAsync([id], timeout);

    private Task<JsonNode> GetAsync(string id) => cluster.Api.GetJsonAsync($"/api/executions/{id}");


    private static DateTimeOffset Time(JsonNode record, string field) =>
        DateTimeOffset.Parse(record[field]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
