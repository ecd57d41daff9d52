using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// An execution lost at a restart reports its loss to its callback URL, and a retry that must start
/// a new execution (its job is gone) keeps the callback.
/// </summary>
public sealed class WebhookRestartTests
{
    [Fact]
    public async Task A_restart_reports_the_lost_execution_and_its_retry_as_a_new_execution_posts_to_the_same_callback_url()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["AsyncFunctions:Webhooks:Secret"] = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["AsyncFunctions:Stacks:AllowedHosts:0"] = $"127.0.0.1:{receiver.Port}",
        };
        string id;
        string database;
        using (var first = new TestApp(workers: 1, settings: settings))
        {
            database = first.DatabasePath;
            id = (await first.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = "again", delayMs = 600_000 }, callbackUrl = receiver.Url("restart") }, HttpStatusCode.Accepted))["id"]!.GetValue<string>();
            await first.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");
        }

        using var second = new TestApp(workers: 1, databasePath: database, settings: settings);
        var retry = await second.PostAsync($"/api/executions/{id}/retry", new { }, HttpStatusCode.Accepted);
        var retryId = retry["id"]!.GetValue<string>();
        await second.PostAsync($"/api/executions/{retryId}/cancel", new { }, HttpStatusCode.OK);

        var record = await second.WaitForAsync(retryId, r => r["callback"]?["state"]?.GetValue<string>() == "Delivered");

        Assert.Equal(receiver.Url("restart"), record["callback"]!["url"]!.GetValue<string>());
        var lost = await second.WaitForAsync(id, r => r["callback"]?["state"]?.GetValue<string>() == "Delivered");
        Assert.Equal("execution.lost", lost["error"]!["code"]!.GetValue<string>());
        var received = receiver.For("restart").Select(m => JsonNode.Parse(m.Body)!["data"]!).ToArray();
        Assert.Equal(2, received.Length);
        Assert.Single(received, d => d["id"]!.GetValue<string>() == id && d["error"]!["code"]!.GetValue<string>() == "execution.lost");
        Assert.Single(received, d => d["id"]!.GetValue<string>() == retryId && d["status"]!.GetValue<string>() == "Cancelled");
    }
}
