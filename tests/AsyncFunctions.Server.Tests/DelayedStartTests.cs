using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// <c>"runAt"</c> and <c>"delaySeconds"</c> in a start body: the execution is Scheduled through
/// Hangfire's scheduler and runs when its time comes; bad or conflicting values are 400.
/// </summary>
public sealed class DelayedStartTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task A_start_with_delaySeconds_is_Scheduled_then_runs()
    {
        var started = await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = "later" }, delaySeconds = 3 }, HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();

        Assert.Equal("Scheduled", started["status"]!.GetValue<string>());
        Assert.Equal("Scheduled", (await _app.GetAsync($"/api/executions/{id}"))["status"]!.GetValue<string>());
        var record = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Succeeded");
        Assert.Equal("later", record["output"]!.GetValue<string>());
        // Hangfire keeps schedule times in whole seconds: a delayed job may start up to a second early.
        Assert.True(record["startedAt"]!.GetValue<DateTimeOffset>() >= started["createdAt"]!.GetValue<DateTimeOffset>().AddSeconds(3 - 1), record.ToJsonString());
    }

    [Fact]
    public async Task A_start_with_a_future_runAt_is_Scheduled_until_then()
    {
        // The server is up before runAt is chosen: a start that waited for the host would find it past.
        using (await _app.CreateClient().GetAsync(new Uri("/api/functions", UriKind.Relative)))
        {
        }

        var runAt = DateTimeOffset.UtcNow.AddSeconds(5);
        var started = await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, runAt = runAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture) }, HttpStatusCode.Accepted);
        var id = started["id"]!.GetValue<string>();

        Assert.Equal("Scheduled", started["status"]!.GetValue<string>());
        var record = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Succeeded");
        Assert.True(record["startedAt"]!.GetValue<DateTimeOffset>() >= runAt.AddSeconds(-1), record.ToJsonString());
    }

    [Fact]
    public async Task A_runAt_in_the_past_runs_now()
    {
        var started = await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, runAt = "2020-01-01T00:00:00Z" }, HttpStatusCode.Accepted);

        Assert.Equal("Enqueued", started["status"]!.GetValue<string>());
        await _app.WaitForAsync(started["id"]!.GetValue<string>(), r => r["status"]!.GetValue<string>() == "Succeeded");
    }

    [Theory]
    [InlineData("""{ "input": { "value": 1 }, "runAt": "2030-01-01T00:00:00Z", "delaySeconds": 5 }""", "runAt")]
    [InlineData("""{ "input": { "value": 1 }, "runAt": "tomorrow" }""", "runAt")]
    [InlineData("""{ "input": { "value": 1 }, "runAt": "2030-01-01T00:00:00" }""", "runAt")]
    [InlineData("""{ "input": { "value": 1 }, "runAt": "9999-01-01T00:00:00Z" }""", "runAt")]
    [InlineData("""{ "input": { "value": 1 }, "delaySeconds": -1 }""", "delaySeconds")]
    [InlineData("""{ "input": { "value": 1 }, "delaySeconds": "5" }""", "delaySeconds")]
    [InlineData("""{ "input": { "value": 1 }, "delaySeconds": 1e12 }""", "delaySeconds")]
    [InlineData("""{ "input": { "value": 1 }, "mode": "sync", "delaySeconds": 5 }""", "delaySeconds")]
    public async Task Bad_or_conflicting_delays_are_400_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _app.CreateClient().PostAsync(new Uri("/api/functions/examples.echo/executions", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.NotNull(JsonNode.Parse(text)!["errors"]![field]);
    }
}
