using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AsyncFunctions.Hangfire.Webhooks;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>Completion webhooks over real HTTP, delivered by real Hangfire workers to a local receiver.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);

    private WebhookReceiver _receiver = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _app = new TestApp(settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Webhooks:Secret"] = Secret,
            ["AsyncFunctions:Webhooks:RetryDelaysSeconds:0"] = "1",
            ["AsyncFunctions:Webhooks:MaxAttempts"] = "3",
            ["AsyncFunctions:Stacks:AllowedHosts:0"] = $"127.0.0.1:{_receiver.Port}",
        });
        await _app.SaveStackAsync("""{ "name": "wh.hello", "stack": [], "response": "hello" }""");
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _receiver.DisposeAsync();
    }

    private async Task<string> StartWithCallbackAsync(string function, string hook) =>
        (await _app.PostAsync($"/api/functions/{function}/executions", new { input = new { }, callbackUrl = _receiver.Url(hook) }, HttpStatusCode.Accepted))["id"]!.GetValue<string>();

    private Task<JsonObject> WaitForCallbackAsync(string id, string state) =>
        _app.WaitForAsync(id, r => r["callback"]?["state"]?.GetValue<string>() == state);

    [Fact]
    public async Task A_finished_execution_posts_its_record_signed_per_standard_webhooks()
    {
        var id = await StartWithCallbackAsync("wh.hello", "roundtrip");

        var record = await WaitForCallbackAsync(id, "Delivered");

        var received = Assert.Single(_receiver.For("roundtrip"));
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("msg_", received.Id, StringComparison.Ordinal);
        Assert.True(long.TryParse(received.Timestamp, out var timestamp));
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
        // The spec's algorithm, computed here on its own: base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" under the secret's bytes.
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{received.Id}.{received.Timestamp}.{received.Body}")));
        Assert.Contains(expected, received.Signature.Split(' '));

        var payload = JsonNode.Parse(received.Body)!;
        Assert.Equal("execution.completed", payload["type"]!.GetValue<string>());
        var data = payload["data"]!;
        Assert.Equal(id, data["id"]!.GetValue<string>());
        Assert.Equal("wh.hello", data["function"]!.GetValue<string>());
        Assert.Equal("Succeeded", data["status"]!.GetValue<string>());
        Assert.Equal("hello", data["output"]!.GetValue<string>());
        Assert.Equal(1, data["attempts"]!.GetValue<int>());
        Assert.NotNull(data["completedAt"]);
        Assert.Null(data["input"]);

        var callback = record["callback"]!;
        Assert.Equal(_receiver.Url("roundtrip"), callback["url"]!.GetValue<string>());
        var delivery = Assert.Single(callback["deliveries"]!.AsArray())!;
        Assert.Equal((1, 200, received.Id), (delivery["attempt"]!.GetValue<int>(), delivery["status"]!.GetValue<int>(), delivery["messageId"]!.GetValue<string>()));
        Assert.Null(delivery["error"]);
    }

    [Fact]
    public async Task A_503_is_retried_with_the_same_message_until_the_receiver_takes_it()
    {
        _receiver.Answer("flaky", 503);
        var id = await StartWithCallbackAsync("wh.hello", "flaky");

        var record = await WaitForCallbackAsync(id, "Delivered");

        var received = _receiver.For("flaky");
        Assert.Equal([503, 200], received.Select(r => r.AnsweredWith));
        Assert.Single(received.Select(r => r.Id).Distinct());
        var deliveries = record["callback"]!["deliveries"]!.AsArray();
        Assert.Equal([(1, 503), (2, 200)], deliveries.Select(d => (d!["attempt"]!.GetValue<int>(), d["status"]!.GetValue<int>())));
        Assert.Contains("503", deliveries[0]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
        Assert.Equal(1, record["attempts"]!.GetValue<int>());

        var html = await _app.GetHtmlAsync($"/hangfire/jobs/details/{id}");
        Assert.Equal(_receiver.Url("flaky"), DashboardPages.Text(html, "code", "af-callback-url"));
        Assert.Equal("Delivered", DashboardPages.Text(html, "dd", "af-callback-state"));
        Assert.Equal("503", DashboardPages.Text(html, "td", "af-delivery-status"));
    }

    [Fact]
    public async Task A_400_fails_the_delivery_for_good_without_retries()
    {
        _receiver.Answer("refusing", 400, 200);
        var id = await StartWithCallbackAsync("wh.hello", "refusing");

        var record = await WaitForCallbackAsync(id, "Failed");

        var delivery = Assert.Single(record["callback"]!["deliveries"]!.AsArray())!;
        Assert.Equal(400, delivery["status"]!.GetValue<int>());
        Assert.Single(_receiver.For("refusing"));
    }

    [Fact]
    public async Task Attempts_stop_at_MaxAttempts()
    {
        _receiver.Answer("down", 500, 502, 503, 200);
        var id = await StartWithCallbackAsync("wh.hello", "down");

        var record = await WaitForCallbackAsync(id, "Failed");

        Assert.Equal([500, 502, 503], record["callback"]!["deliveries"]!.AsArray().Select(d => d!["status"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_cancelled_execution_reports_its_cancellation()
    {
        var gate = "wh-cancel-" + Guid.NewGuid().ToString("N");
        var id = (await _app.PostAsync("/api/functions/tests.gated/executions", new { input = new { gate }, callbackUrl = _receiver.Url("cancelled") }, HttpStatusCode.Accepted))["id"]!.GetValue<string>();
        await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");

        using (var response = await _app.CreateClient().PostAsync(new Uri($"/api/executions/{id}/cancel", UriKind.Relative), null))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await WaitForCallbackAsync(id, "Delivered");
        TestFunctions.Gates.Release(gate);
        var received = Assert.Single(_receiver.For("cancelled"));
        Assert.Equal("Cancelled", JsonNode.Parse(received.Body)!["data"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://localhost.:9102/")]
    [InlineData("http://127.0.0.1.:9102/")]
    [InlineData("http://foo.localhost/")]
    public async Task A_callback_to_an_address_the_guard_refuses_is_refused_at_the_start(string url)
    {
        var problem = await _app.PostAsync("/api/functions/wh.hello/executions", new { callbackUrl = url }, HttpStatusCode.BadRequest);

        Assert.Contains("not a public address", problem["errors"]!["callbackUrl"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loopback_port_that_is_not_allow_listed_is_refused_at_the_start()
    {
        var problem = await _app.PostAsync("/api/functions/wh.hello/executions", new { callbackUrl = $"http://127.0.0.1:{_receiver.Port + 1}/hook/x" }, HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["callbackUrl"]);
    }

    [Theory]
    [InlineData("\"ftp://hooks.example.com/x\"", "must be an absolute http or https URL")]
    [InlineData("\"/relative/hook\"", "must be an absolute http or https URL")]
    [InlineData("42", "must be an absolute http or https URL")]
    [InlineData("\"\"", "must be an absolute http or https URL")]
    [InlineData("\"https://user:secret@hooks.example.com/x\"", "must not hold a user name or password")]
    [InlineData("\"https://hooks.example.com/a\\r\\nX-Injected: 1\"", "must not hold CR, LF, NUL or other control characters")]
    [InlineData("\"https://hooks.example.com/a\\u0000b\"", "must not hold CR, LF, NUL or other control characters")]
    public async Task An_invalid_callbackUrl_is_a_problem_naming_the_field(string json, string message)
    {
        using var content = new StringContent($$"""{ "callbackUrl": {{json}} }""", Encoding.UTF8, "application/json");
        using var response = await _app.CreateClient().PostAsync(new Uri("/api/functions/wh.hello/executions", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(message, problem["errors"]!["callbackUrl"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sync_start_refuses_a_callbackUrl()
    {
        var problem = await _app.PostAsync("/api/functions/wh.hello/executions", new { mode = "sync", callbackUrl = _receiver.Url("sync") }, HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["callbackUrl"]);
    }

    [Fact]
    public async Task A_stack_document_names_its_own_callback_and_a_start_overrides_it()
    {
        await _app.SaveStackAsync($$"""{ "name": "wh.own", "callbackUrl": "{{_receiver.Url("own")}}", "stack": [], "response": 7 }""");

        var plain = await _app.StartAsync("wh.own", new { });
        var overridden = await StartWithCallbackAsync("wh.own", "override");
        await WaitForCallbackAsync(plain, "Delivered");
        await WaitForCallbackAsync(overridden, "Delivered");

        Assert.Equal(plain, JsonNode.Parse(Assert.Single(_receiver.For("own")).Body)!["data"]!["id"]!.GetValue<string>());
        Assert.Equal(overridden, JsonNode.Parse(Assert.Single(_receiver.For("override")).Body)!["data"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_child_started_by_a_stack_posts_to_its_own_function_callback()
    {
        await _app.SaveStackAsync($$"""{ "name": "wh.child", "callbackUrl": "{{_receiver.Url("child")}}", "stack": [], "response": "child" }""");
        await _app.SaveStackAsync("""
            { "name": "wh.parent", "stack": [ { "call": "wh.child", "async": true, "as": "child" }, { "await": "=$var.child", "as": "result" } ], "response": "=$var.result" }
            """);

        var parent = await StartWithCallbackAsync("wh.parent", "parent");
        await WaitForCallbackAsync(parent, "Delivered");

        await TestApp.WaitUntilAsync(() => Task.FromResult(_receiver.For("child").Count == 1));
        var child = JsonNode.Parse(_receiver.For("child")[0].Body)!["data"]!;
        Assert.Equal(parent, child["parentId"]!.GetValue<string>());
        Assert.Single(_receiver.For("parent"));
    }

    [Fact]
    public async Task A_stack_document_with_an_invalid_callbackUrl_is_refused_naming_the_path()
    {
        using var response = await _app.CreateClient().PutAsync(
            new Uri("/api/functions/wh.bad", UriKind.Relative),
            new StringContent("""{ "name": "wh.bad", "callbackUrl": "mailto:ops@example.com", "stack": [] }""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("must be an absolute http or https URL", problem["errors"]!["$.callbackUrl"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_execution_without_a_callback_queues_no_delivery_job()
    {
        var plain = await _app.StartAsync("wh.hello", new { });
        await _app.WaitForAsync(plain, r => r["status"]!.GetValue<string>() == "Succeeded");
        var withCallback = await StartWithCallbackAsync("wh.hello", "marker");
        await WaitForCallbackAsync(withCallback, "Delivered");

        var record = await _app.GetAsync($"/api/executions/{plain}");
        Assert.Null(record["callback"]);
        var monitoring = _app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deliveries = monitoring.SucceededJobs(0, 1000).Select(j => j.Value.Job)
            .Concat(monitoring.EnqueuedJobs("default", 0, 1000).Select(j => j.Value.Job))
            // The delivery records "Delivered" from inside its job, so the job may still be Processing here.
            .Concat(monitoring.ProcessingJobs(0, 1000).Select(j => j.Value.Job))
            .Concat(monitoring.ScheduledJobs(0, 1000).Select(j => j.Value.Job))
            .Concat(monitoring.FailedJobs(0, 1000).Select(j => j.Value.Job))
            .Where(j => j?.Type == typeof(WebhookDeliveryJob))
            .Select(j => (string)j!.Args[0])
            .ToList();
        Assert.Equal([withCallback], deliveries);
    }

    [Fact]
    public async Task A_failed_execution_posts_its_error_and_a_retry_that_fails_again_posts_a_new_message()
    {
        var id = (await _app.PostAsync("/api/functions/examples.fail/executions", new { input = new { message = "no luck" }, callbackUrl = _receiver.Url("failing") }, HttpStatusCode.Accepted))["id"]!.GetValue<string>();
        await WaitForCallbackAsync(id, "Delivered");

        await _app.PostAsync($"/api/executions/{id}/retry", new { }, HttpStatusCode.OK);
        var record = await _app.WaitForAsync(id, r => r["callback"]?["deliveries"]?.AsArray().Count == 2 && r["callback"]!["state"]!.GetValue<string>() == "Delivered");

        var received = _receiver.For("failing");
        Assert.Equal(2, received.Count);
        Assert.NotEqual(received[0].Id, received[1].Id);
        var data = JsonNode.Parse(received[1].Body)!["data"]!;
        Assert.Equal("Failed", data["status"]!.GetValue<string>());
        Assert.Equal("examples.failed", data["error"]!["code"]!.GetValue<string>());
        Assert.Equal("no luck", data["error"]!["message"]!.GetValue<string>());
        Assert.Equal(2, data["attempts"]!.GetValue<int>());
        Assert.Equal(2, record["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_execution_retried_by_its_policy_posts_once_with_its_final_status()
    {
        var id = (await _app.PostAsync("/api/functions/tests.flaky/executions", new { callbackUrl = _receiver.Url("retried") }, HttpStatusCode.Accepted))["id"]!.GetValue<string>();

        var record = await WaitForCallbackAsync(id, "Delivered");

        var received = Assert.Single(_receiver.For("retried"));
        var data = JsonNode.Parse(received.Body)!["data"]!;
        Assert.Equal("Succeeded", data["status"]!.GetValue<string>());
        Assert.Equal(2, data["attempts"]!.GetValue<int>());
        Assert.Single(record["callback"]!["deliveries"]!.AsArray());
    }
}
