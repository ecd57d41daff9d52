using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Server.Tests;

/// <summary>Keys are required outside Development; in Development without keys, loopback requests act as an anonymous admin.</summary>
public sealed class SecureStartTests
{
    private static readonly Dictionary<string, string?> Production = new() { ["environment"] = "Production" };

    [Fact]
    public void Outside_Development_the_server_refuses_to_start_without_a_key()
    {
        using var app = new TestApp(workers: 0, settings: Production, withKeys: false);

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains("AsyncFunctions:ApiKeys", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Development_a_key_is_required_and_a_hashed_key_works()
    {
        using var app = new TestApp(workers: 0, settings: Production);

        using var none = await app.ClientAs(null).GetAsync(new Uri("/api/functions", UriKind.Relative));
        using var hashed = await app.ClientAs(TestKeys.Invoker).GetAsync(new Uri("/api/functions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hashed.StatusCode);
    }

    [Theory]
    [InlineData(TestKeys.Wrong)]
    [InlineData("invoker-key-0123456789abcdeX")]
    [InlineData("sha256:0000")]
    public async Task A_wrong_key_gets_a_401_problem(string key)
    {
        using var app = new TestApp(workers: 0);
        using var response = await app.ClientAs(key).GetAsync(new Uri("/api/functions", UriKind.Relative));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(401, problem["status"]!.GetValue<int>());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_hash_is_accepted_and_its_key_name_is_the_caller()
    {
        using var app = new TestApp();
        using var client = app.ClientAs(TestKeys.Invoker);

        using var started = await client.PostAsJsonAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 } });
        var record = JsonNode.Parse(await started.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal(TestKeys.InvokerName, record["caller"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_Development_on_loopback_without_keys_requests_act_as_an_anonymous_admin()
    {
        using var app = new TestApp(withKeys: false);
        using var client = app.CreateClient();
        Assert.Null(client.DefaultRequestHeaders.Authorization);

        using var saved = await client.PutAsync(new Uri("/api/functions/anonymous_check", UriKind.Relative), new StringContent("""{ "stack": [], "response": "=$auth" }""", System.Text.Encoding.UTF8, "application/json"));
        using var run = await client.PostAsJsonAsync("/api/functions/anonymous_check/executions", new { mode = "sync" });
        using var dashboard = await client.GetAsync(new Uri("/hangfire", UriKind.Relative));
        var output = JsonNode.Parse(await run.Content.ReadAsStringAsync())!["output"];

        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["key"] = "anonymous", ["role"] = "admin" }, output), output?.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task In_Development_without_keys_a_request_from_another_machine_gets_401()
    {
        using var app = new TestApp(workers: 0, withKeys: false, remoteAddress: IPAddress.Parse("203.0.113.7"));

        using var response = await app.CreateClient().GetAsync(new Uri("/api/functions", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public void Outside_Development_each_plain_key_is_warned_about_at_start()
    {
        var logs = new CapturedLogs();
        using var app = new TestApp(workers: 0, settings: Production);
        using var logged = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));

        logged.CreateClient().Dispose();

        var access = logs.Warnings.Where(w => w.Contains("AccessStartupCheck", StringComparison.Ordinal)).ToList();
        Assert.Contains(access, w => w.Contains($"'{TestKeys.AdminName}' is configured in plain text", StringComparison.Ordinal));
        Assert.Contains(access, w => w.Contains($"'{TestKeys.ViewerName}' is configured in plain text", StringComparison.Ordinal));
        Assert.DoesNotContain(access, w => w.Contains(TestKeys.InvokerName, StringComparison.Ordinal));
    }

    [Fact]
    public void In_Development_without_keys_the_start_warns_of_the_anonymous_admin()
    {
        var logs = new CapturedLogs();
        using var app = new TestApp(workers: 0, withKeys: false);
        using var logged = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));

        logged.CreateClient().Dispose();

        Assert.Contains(logs.Warnings, w => w.Contains("anonymous admin", StringComparison.Ordinal) && w.Contains("AsyncFunctions:ApiKeys", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Role", "superuser", "AsyncFunctions:ApiKeys:0:Role")]
    [InlineData("KeyHash", "md5:abc", "AsyncFunctions:ApiKeys:0")]
    [InlineData("Key", "short", "AsyncFunctions:ApiKeys:0:Key")]
    [InlineData("Key", "                ", "AsyncFunctions:ApiKeys:0:Key")]
    [InlineData("Key", " admin-key-0123456789abcdef", "AsyncFunctions:ApiKeys:0:Key")]
    [InlineData("Key", "admin-key-0123456789abcdef\t", "AsyncFunctions:ApiKeys:0:Key")]
    [InlineData("Name", "", "AsyncFunctions:ApiKeys:0:Name")]
    public void A_wrong_key_setting_stops_the_start_naming_it(string field, string value, string named)
    {
        using var app = new TestApp(workers: 0, settings: new Dictionary<string, string?> { [$"AsyncFunctions:ApiKeys:0:{field}"] = value });

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(named, Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten))
            : error.Message + (error.InnerException is null ? "" : " | " + Flatten(error.InnerException));
}
