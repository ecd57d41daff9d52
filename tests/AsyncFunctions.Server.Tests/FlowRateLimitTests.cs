using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>A rate limit delays the starts over it to the next free window (Scheduled), in order, and drops none.</summary>
public sealed class FlowRateLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task A_rate_limit_of_5_per_2_s_spreads_20_starts_over_at_least_6_s()
    {
        await _app.SaveStackAsync("""
            { "name": "flow.rated", "rateLimit": { "limit": 5, "periodSeconds": 2 }, "stack": [], "response": "=$input.n" }
            """);

        var starts = new List<JsonObject>();
        for (var i = 0; i < 20; i++)
        {
            starts.Add(await _app.PostAsync("/api/functions/flow.rated/executions", new { input = new { n = i } }, HttpStatusCode.Accepted));
        }

        var records = new List<JsonObject>();
        foreach (var start in starts)
        {
            records.Add(await _app.WaitForAsync(start["id"]!.GetValue<string>(), r => r["status"]!.GetValue<string>() == "Succeeded"));
        }

        var started = records.Select(r => r["startedAt"]!.GetValue<DateTimeOffset>()).Order().ToList();
        Assert.True(started[^1] - started[0] >= TimeSpan.FromSeconds(6), $"{started[0]:O} .. {started[^1]:O}");
        // Starts are counted at the times the records show (a reservation taken late counts from
        // when it ran), so no 2 s holds more than 5 of them.
        for (var i = 0; i + 5 < started.Count; i++)
        {
            Assert.True(
                started[i + 5] - started[i] >= TimeSpan.FromSeconds(2),
                "6 starts within 2 s: " + string.Join(", ", started.Skip(i).Take(6).Select(s => s.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))));
        }
    }
}
