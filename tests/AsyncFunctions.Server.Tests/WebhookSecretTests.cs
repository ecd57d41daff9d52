using System.Net;

namespace AsyncFunctions.Server.Tests;

/// <summary>A server without a webhook secret refuses starts that would need one.</summary>
public sealed class WebhookSecretTests
{
    [Fact]
    public async Task A_start_naming_a_callbackUrl_is_refused_when_no_secret_is_configured()
    {
        using var app = new TestApp();
        await app.SaveStackAsync("""{ "name": "wh.nosecret", "stack": [], "response": 1 }""");

        var problem = await app.PostAsync("/api/functions/wh.nosecret/executions", new { callbackUrl = "https://hooks.example.com/x" }, HttpStatusCode.BadRequest);

        Assert.Equal("Callbacks are not configured", problem["title"]!.GetValue<string>());
        Assert.Contains("AsyncFunctions:Webhooks:Secret", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_with_its_own_callback_is_refused_when_no_secret_is_configured()
    {
        using var app = new TestApp();
        await app.SaveStackAsync("""{ "name": "wh.nosecret_own", "callbackUrl": "https://hooks.example.com/x", "stack": [], "response": 1 }""");

        var problem = await app.PostAsync("/api/functions/wh.nosecret_own/executions", new { }, HttpStatusCode.BadRequest);

        Assert.Equal("Callbacks are not configured", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public void A_secret_not_in_the_whsec_form_stops_the_server()
    {
        using var app = new TestApp(settings: new Dictionary<string, string?> { ["AsyncFunctions:Webhooks:Secret"] = "plain-text" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("AsyncFunctions:Webhooks:Secret", error.ToString(), StringComparison.Ordinal);
    }
}
