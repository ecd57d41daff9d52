using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>Hostile JavaScript through the REST API: refused at PUT with its path, or failed with a limit code while the server lives on.</summary>
public sealed class JavaScriptHardeningApiTests : IDisposable
{
    private readonly TestApp _app = new(settings: new Dictionary<string, string?> { ["AsyncFunctions:Api:MaxRequestBodyBytes"] = "1000000" });

    public void Dispose() => _app.Dispose();

    private async Task<(HttpStatusCode Status, JsonObject Body)> PutAsync(string name, string document)
    {
        using var content = new StringContent(document, System.Text.Encoding.UTF8, "application/json");
        using var response = await _app.CreateClient().PutAsync(new Uri($"/api/functions/{name}", UriKind.Relative), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static string Document(string stack, string response = "null") => $$"""{ "stack": {{stack}}, "response": {{response}} }""";

    [Theory]
    [InlineData(20_000, "(", ")")]
    [InlineData(3_000, "() => ", "")]
    public async Task Put_of_a_deeply_nested_expression_is_a_400_naming_its_path(int levels, string open, string close)
    {
        var expression = string.Concat(Enumerable.Repeat(open, levels)) + "1" + string.Concat(Enumerable.Repeat(close, levels));
        var (status, problem) = await PutAsync("tests.deep", Document($$"""[ { "var": "x", "value": {{JsonSerializer.Serialize("=" + expression)}} } ]"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("$.stack[0].value", Assert.Single(problem["problems"]!.AsArray())!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_script_overflowing_the_stack_fails_with_a_limit_and_the_server_goes_on()
    {
        var (status, _) = await PutAsync("tests.overflow", Document("""[ { "lambda": "const p = new Proxy({}, { get(t, k, r) { return r[k]; } }); return p.x;" } ]"""));
        Assert.Equal(HttpStatusCode.Created, status);

        var failed = await _app.PostAsync("/api/functions/tests.overflow/executions", new { mode = "sync" }, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("limit.js_recursion", failed["error"]!["code"]!.GetValue<string>());

        var ok = await _app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 }, mode = "sync" }, HttpStatusCode.OK);
        Assert.Equal("1", ok["output"]!.ToJsonString());
    }

    [Fact]
    public async Task Dollar_keys_save_and_run()
    {
        var (status, _) = await PutAsync("tests.dollar", Document(
            """[ { "var": "doc", "value": "=({ $id: 'a1', $set: { n: 1 } })" } ]""",
            """{ "id": "=$var.doc.$id", "update": "=({ $set: $var.doc.$set })" }"""));
        Assert.Equal(HttpStatusCode.Created, status);

        var ran = await _app.PostAsync("/api/functions/tests.dollar/executions", new { mode = "sync" }, HttpStatusCode.OK);
        Assert.Equal("""{"id":"a1","update":{"$set":{"n":1}}}""", ran["output"]!.ToJsonString());
    }
}
