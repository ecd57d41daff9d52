using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Concurrency limits on a real server (SQLite results, Hangfire workers): an execution over its
/// limit waits (status <c>Waiting</c>, no worker) and is admitted in arrival order when a slot
/// frees; per-key limits run different keys side by side; bad declarations are 400 with their path.
/// </summary>
public sealed class FlowAdmissionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    private static DateTimeOffset At(JsonObject record, string field) => record[field]!.GetValue<DateTimeOffset>();

    /// <summary>The most executions whose runs [startedAt, completedAt) overlap at one moment.</summary>
    private static int MostAtOnce(IEnumerable<JsonObject> records)
    {
        var edges = records.SelectMany(r => new[] { (At: At(r, "startedAt"), Delta: 1), (At: At(r, "completedAt"), Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int now = 0, most = 0;
        foreach (var edge in edges)
        {
            now += edge.Delta;
            most = Math.Max(most, now);
        }

        return most;
    }

    private async Task<List<JsonObject>> FinishedAsync(IEnumerable<string> ids)
    {
        var records = new List<JsonObject>();
        foreach (var id in ids)
        {
            records.Add(await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() is "Succeeded" or "Failed" or "Cancelled"));
        }

        return records;
    }

    [Fact]
    public async Task A_limit_of_2_is_never_exceeded_and_waiters_start_in_arrival_order()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.limited", "concurrency": { "limit": 2 }, "stack": [ { "sleep": 700 } ], "response": "=$input.n" }
            """);

        var starts = new List<JsonObject>();
        for (var i = 0; i < 7; i++)
        {
            starts.Add(await _app.PostAsync("/api/functions/flow.limited/executions", new { input = new { n = i } }, HttpStatusCode.Accepted));
        }

        Assert.Contains(starts, s => s["status"]!.GetValue<string>() == "Waiting");
        var waiting = starts.First(s => s["status"]!.GetValue<string>() == "Waiting")["id"]!.GetValue<string>();
        var seen = await _app.GetAsync($"/api/executions/{waiting}");
        Assert.True(seen["status"]!.GetValue<string>() != "Waiting" || seen["waitingForLimit"]?.GetValue<string>() is { Length: > 0 }, seen.ToJsonString());

        var records = await FinishedAsync(starts.Select(s => s["id"]!.GetValue<string>()));

        Assert.All(records, r => Assert.Equal("Succeeded", r["status"]!.GetValue<string>()));
        Assert.True(MostAtOnce(records) <= 2, string.Join("\n", records.Select(r => r.ToJsonString())));
        // Arrival order: an execution starts no later than one that arrived 2 (the limit) or more places after it.
        for (var i = 0; i < records.Count; i++)
        {
            for (var j = i + 2; j < records.Count; j++)
            {
                Assert.True(At(records[i], "startedAt") <= At(records[j], "startedAt"), $"{i} started after {j}");
            }
        }
    }

    [Fact]
    public async Task A_per_key_limit_of_1_runs_two_keys_side_by_side_and_each_key_one_at_a_time()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.per_customer", "concurrency": [ { "limit": 1, "key": "=$input.customer" } ], "stack": [ { "sleep": 1000 } ], "response": "=$input.customer" }
            """);

        var ids = new List<(string Customer, string Id)>();
        foreach (var customer in new[] { "a", "b", "a", "b" })
        {
            ids.Add((customer, await _app.StartAsync("flow.per_customer", new { customer })));
        }

        var records = (await FinishedAsync(ids.Select(i => i.Id))).Select((r, i) => (ids[i].Customer, Record: r)).ToList();

        Assert.Equal(1, MostAtOnce(records.Where(r => r.Customer == "a").Select(r => r.Record)));
        Assert.Equal(1, MostAtOnce(records.Where(r => r.Customer == "b").Select(r => r.Record)));
        Assert.Equal(2, MostAtOnce(records.Select(r => r.Record)));
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_line_and_a_cancelled_holder_frees_its_slot()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.cancel", "concurrency": { "limit": 1 }, "holdWhileAwaiting": true, "stack": [ { "sleep": 60000 } ], "response": 1 }
            """);
        var holder = await _app.StartAsync("flow.cancel", new { });
        var first = await _app.PostAsync("/api/functions/flow.cancel/executions", new { input = new { } }, HttpStatusCode.Accepted);
        var second = await _app.StartAsync("flow.cancel", new { });
        Assert.Equal("Waiting", first["status"]!.GetValue<string>());

        using (await _app.CreateClient().PostAsync(new Uri($"/api/executions/{first["id"]}/cancel", UriKind.Relative), null))
        {
        }

        using (await _app.CreateClient().PostAsync(new Uri($"/api/executions/{holder}/cancel", UriKind.Relative), null))
        {
        }

        await _app.WaitForAsync(second, r => r["status"]!.GetValue<string>() is "Processing" or "Awaiting");
        Assert.Equal("Cancelled", (await _app.GetAsync($"/api/executions/{first["id"]}"))["status"]!.GetValue<string>());
        using (await _app.CreateClient().PostAsync(new Uri($"/api/executions/{second}/cancel", UriKind.Relative), null))
        {
        }
    }

    [Theory]
    [InlineData("""{ "concurrency": { "limit": 0 } }""", "$.concurrency.limit")]
    [InlineData("""{ "concurrency": [ { "limit": 2, "key": "$input.customer" } ] }""", "$.concurrency[0].key")]
    [InlineData("""{ "concurrency": { "limit": 2, "key": "=$var.x" } }""", "$.concurrency.key")]
    [InlineData("""{ "concurrency": { "limit": 2, "per": "x" } }""", "$.concurrency.per")]
    [InlineData("""{ "concurrency": { "limit": 2 }, "holdWhileAwaiting": "yes" }""", "$.holdWhileAwaiting")]
    [InlineData("""{ "rateLimit": { "limit": 5 } }""", "$.rateLimit.periodSeconds")]
    [InlineData("""{ "rateLimit": { "limit": 5, "periodSeconds": 2, "key": "=)" } }""", "$.rateLimit.key")]
    public async Task A_bad_flow_declaration_is_refused_with_its_path(string fields, string path)
    {
        var document = JsonNode.Parse(fields)!.AsObject();
        document["name"] = "flow.bad";
        document["stack"] = new JsonArray();
        using var response = await _app.CreateClient().PutAsync(
            new Uri("/api/functions/flow.bad", UriKind.Relative),
            new StringContent(document.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains(path, text, StringComparison.Ordinal);
    }
}
