using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

public sealed class BadRequestTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task Bad_input_is_400_naming_each_field()
    {
        var problem = await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { delayMs = "soon" } }, HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["input.value", "input.delayMs"], errors.Select(e => e.Key).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("is required", errors["input.value"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Nothing_is_recorded_for_a_refused_request()
    {
        var before = await _app.GetAsync("/api/executions?function=examples.echo&limit=500");
        await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { delayMs = -5, value = 1 } }, HttpStatusCode.BadRequest);
        var after = await _app.GetAsync("/api/executions?function=examples.echo&limit=500");

        Assert.Equal(before["items"]!.AsArray().Count, after["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_unknown_function_is_404()
    {
        var problem = await _app.PostAsync("/api/functions/no.such/executions", new { input = new { } }, HttpStatusCode.NotFound);
        Assert.Equal("There is no function named 'no.such'.", problem["detail"]!.GetValue<string>());
        await _app.GetAsync("/api/functions/no.such", HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{ "input": { "value": 1 }, "mode": "later" }""", "mode")]
    [InlineData("""{ "input": [1] }""", "input")]
    public async Task Bad_fields_of_the_start_request_are_named(string body, string field)
    {
        var problem = await PostRawAsync("/api/functions/examples.echo/executions", body, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Broken_json_is_400_with_its_position()
    {
        var problem = await PostRawAsync("/api/functions/examples.echo/executions", """{ "input": { "value": 1, } """, HttpStatusCode.BadRequest);
        Assert.Contains("line 1", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var big = new string('x', 5000);
        var problem = await PostRawAsync("/api/functions/examples.echo/executions", $$"""{ "input": { "value": "{{big}}" } }""", HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("MaxRequestBodyBytes", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "timeoutSeconds": 1 }""", "ids")]
    [InlineData("""{ "ids": [] }""", "ids")]
    [InlineData("""{ "ids": ["a", 3] }""", "ids[1]")]
    [InlineData("""{ "ids": ["a"], "timeoutSeconds": -1 }""", "timeoutSeconds")]
    [InlineData("""{ "ids": ["a"], "timeoutSeconds": "soon" }""", "timeoutSeconds")]
    public async Task Bad_await_requests_name_the_field(string body, string field)
    {
        var problem = await PostRawAsync("/api/executions/await", body, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Await_of_unknown_ids_names_them()
    {
        var known = await _app.StartAsync("examples.echo", new { value = 1 });
        var problem = await _app.PostAsync("/api/executions/await", new { ids = new[] { known, "missing-1", "missing-2" } }, HttpStatusCode.NotFound);

        Assert.Equal(["missing-1", "missing-2"], problem["ids"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    [Theory]
    [InlineData("/api/executions/x?waitSeconds=61", "waitSeconds")]
    [InlineData("/api/executions?status=Done", "status")]
    [InlineData("/api/executions?limit=0", "limit")]
    [InlineData("/api/executions?cursor=garbage", "cursor")]
    public async Task Bad_query_parameters_are_named(string path, string field)
    {
        var problem = await _app.GetAsync(path, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task An_unknown_execution_is_404()
    {
        var problem = await _app.GetAsync("/api/executions/does-not-exist", HttpStatusCode.NotFound);
        Assert.Contains("does-not-exist", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<JsonObject> PostRawAsync(string path, string body, HttpStatusCode expected)
    {
        using var response = await _app.CreateClient().PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!.AsObject();
    }
}
