using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.MultiNode.Tests;

/// <summary>
/// The probe function of the flow-control cluster tests: a stack with a concurrency limit that
/// notes, inside its own run, when it began and ended (<c>t0</c>, <c>t1</c>), so a test counts how
/// many ran at once from what the runs themselves saw.
/// </summary>
internal static class FlowProbe
{
    /// <summary>Saves a probe with <paramref name="limit"/> slots whose run sleeps <paramref name="runMs"/>; returns its name.</summary>
    public static Task<string> SaveAsync(ClusterFixture cluster, int limit, int runMs = 50) =>
        SaveAsync(cluster, limit, runMs.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Saves a probe whose sleep is <paramref name="sleep"/> (milliseconds, or an expression such as <c>"=+$env.RUN_MS"</c>).</summary>
    public static async Task<string> SaveAsync(ClusterFixture cluster, int limit, string sleep)
    {
        var sleepJson = sleep.StartsWith('=') ? JsonValue.Create(sleep).ToJsonString() : sleep;
        var name = "flow_" + Guid.NewGuid().ToString("N")[..10];
        using var saved = await cluster.Api.Http.PutAsJsonAsync($"/api/functions/{name}", JsonNode.Parse($$"""
            { "name": "{{name}}", "inputs": [ { "name": "n", "type": "int", "required": true } ],
              "concurrency": { "limit": {{limit}} },
              "stack": [
                { "lambda": "return Date.now();", "as": "t0" },
                { "sleep": {{sleepJson}} },
                { "lambda": "return Date.now();", "as": "t1" } ],
              "response": { "n": "=$input.n", "t0": "=$var.t0", "t1": "=$var.t1" } }
            """));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>Starts the probe once per input <c>n</c> through <paramref name="node"/>, one after another; returns the ids in that order.</summary>
    public static async Task<List<string>> StartAsync(ServerNode node, string name, IEnumerable<int> inputs)
    {
        var ids = new List<string>();
        foreach (var n in inputs)
        {
            using var response = await node.Http.PostAsJsonAsync($"/api/functions/{name}/executions", new { input = new { n } });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            ids.Add(JsonNode.Parse(body)!["id"]!.GetValue<string>());
        }

        return ids;
    }

    /// <summary>The records in the order of <paramref name="ids"/>, once every one finished.</summary>
    public static async Task<List<JsonNode>> FinishedAsync(ClusterFixture cluster, IReadOnlyList<string> ids, TimeSpan timeout, params ServerNode[] nodes)
    {
        foreach (var chunk in ids.Chunk(50))
        {
            var outcome = await cluster.Api.AwaitAsync(chunk, timeout);
            Assert.True(outcome["completed"]!.GetValue<bool>(), $"{outcome.ToJsonString()}\n{string.Join("\n", nodes.Select(n => n.Output))}");
        }

        var records = new List<JsonNode>();
        foreach (var id in ids)
        {
            records.Add(await cluster.Api.GetJsonAsync($"/api/executions/{id}"));
        }

        return records;
    }

    /// <summary>A finished probe's own begin and end (ms since the epoch).</summary>
    public static (long Begin, long End) Run(JsonNode record) =>
        (record["output"]!["t0"]!.GetValue<long>(), record["output"]!["t1"]!.GetValue<long>());

    /// <summary>The most runs between their own begin and end at one time (an end at the same millisecond as a begin comes first).</summary>
    public static int MostAtOnce(IEnumerable<(long Begin, long End)> runs)
    {
        var events = runs.SelectMany(r => new[] { (At: r.Begin, Delta: 1), (At: r.End, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta);
        int now = 0, most = 0;
        foreach (var e in events)
        {
            now += e.Delta;
            most = Math.Max(most, now);
        }

        return most;
    }

    /// <summary>How many slots of the function's limits are held, as the results database has them.</summary>
    public static async Task<long> SlotsHeldAsync(ClusterFixture cluster, string function)
    {
        await using var connection = new Npgsql.NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM af_flow_slots WHERE function_name = @f", connection);
        command.Parameters.AddWithValue("f", function);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits (up to 30 s) until no slot of the function is held; returns how many still are.</summary>
    public static async Task<long> SlotsLeftAsync(ClusterFixture cluster, string function)
    {
        var slots = await SlotsHeldAsync(cluster, function);
        for (var look = 0; look < 60 && slots > 0; look++)
        {
            await Task.Delay(500);
            slots = await SlotsHeldAsync(cluster, function);
        }

        return slots;
    }
}
