using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>GET /api/executions filters by error code and creation time, and refuses parameters it does not know.</summary>
public sealed class ListingFilterTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task The_list_filters_by_error_code_and_a_creation_time_window()
    {
        await _app.SaveStackAsync("""
            { "name": "tests.fail_with", "inputs": [ { "name": "code", "type": "text", "required": true } ],
              "stack": [ { "throw": "=$input.code", "message": "failed on purpose" } ] }
            """);

        var code = "tests.listing_" + Guid.NewGuid().ToString("N")[..8];
        var before = await _app.StartAsync("tests.fail_with", new { code });
        await _app.AwaitAsync([before]);
        var first = await _app.GetAsync($"/api/executions/{before}");
        var firstCreated = DateTimeOffset.Parse(first["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var later = await _app.StartAsync("tests.fail_with", new { code });
        await _app.AwaitAsync([later]);
        var other = await _app.StartAsync("examples.echo", new { value = 1 });
        await _app.AwaitAsync([other]);

        Assert.Equal([later, before], await IdsAsync($"?errorCode={code}"));
        var after = Uri.EscapeDataString(firstCreated.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal([later], await IdsAsync($"?errorCode={code}&createdAfter={after}"));
        Assert.Equal([before], await IdsAsync($"?errorCode={code}&createdBefore={Uri.EscapeDataString(firstCreated.AddTicks(10).ToString("O", CultureInfo.InvariantCulture))}"));
        Assert.Empty(await IdsAsync($"?errorCode={code}&status=Succeeded"));
    }

    [Theory]
    [InlineData("/api/executions?functon=examples.echo", "functon")]
    [InlineData("/api/executions?limit=5&callbackUrl=x", "callbackUrl")]
    [InlineData("/api/executions?createdAfter=yesterday", "createdAfter")]
    [InlineData("/api/executions?createdBefore=2026-12-01", "createdBefore")]
    [InlineData("/api/executions/some-id?wait=5", "wait")]
    [InlineData("/api/executions/some-id/cancel?childern=true", "childern")]
    [InlineData("/api/executions/some-id/retry?force=true", "force")]
    public async Task An_unknown_or_malformed_query_parameter_is_a_400_naming_it(string path, string parameter)
    {
        var problem = path.EndsWith("true", StringComparison.Ordinal)
            ? await _app.PostAsync(path, new { }, HttpStatusCode.BadRequest)
            : await _app.GetAsync(path, HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(parameter), problem.ToJsonString());
    }

    private async Task<List<string>> IdsAsync(string query) =>
        (await _app.GetAsync("/api/executions" + query + "&limit=500"))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
}
