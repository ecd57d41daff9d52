using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>A field a request body may not hold is a 400 naming its JSON path, never silently ignored.</summary>
public sealed class UnknownFieldTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Theory]
    [InlineData("/api/functions/examples.echo/executions", """{ "input": { "value": 1 }, "callbackUri": "http://example.com/done" }""", "$.callbackUri")]
    [InlineData("/api/functions/examples.echo/executions", """{ "input": { "value": 1 }, "priority": 5 }""", "$.priority")]
    [InlineData("/api/functions/examples.echo/executions", """{ "input": { "value": 1 }, "mode": "sync", "priority": "high" }""", "$.priority")]
    [InlineData("/api/functions/examples.echo/executions", """{ "input": { "value": 1 }, "Input": { "value": 2 } }""", "$.Input")]
    [InlineData("/api/executions/await", """{ "ids": ["x"], "timeoutSeconds": 1, "settled": true }""", "$.settled")]
    [InlineData("/api/functions/examples.echo/executions", """{ "input": { "value": 1 }, "odd name": 1 }""", "$['odd name']")]
    public async Task An_unknown_field_is_a_400_naming_it_and_nothing_starts(string path, string body, string named)
    {
        var before = await CountAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _app.CreateClient().PostAsync(new Uri(path, UriKind.Relative), content);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(problem["errors"]![named]);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task The_known_fields_are_still_accepted()
    {
        var id = await _app.StartAsync("examples.echo", new { value = 1 });
        var outcome = await _app.AwaitAsync([id], timeoutSeconds: 30);

        Assert.True(outcome["completed"]!.GetValue<bool>());
    }

    private async Task<int> CountAsync() =>
        (await _app.GetAsync("/api/executions?limit=500"))["items"]!.AsArray().Count;
}
