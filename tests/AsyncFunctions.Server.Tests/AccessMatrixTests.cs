using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Every endpoint of the REST API against every kind of caller: the three roles, no key and a
/// wrong key. 401 and 403 are problem documents; an invoker asking for another key's execution
/// gets 404, as for an id that does not exist.
/// </summary>
public sealed class AccessMatrixTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Document = """{ "stack": [], "response": "=1" }""";

    private readonly TestApp _app = shared.App;

    public static TheoryData<string, string, string, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string, string, string, HttpStatusCode>();
        void Row(string method, string path, HttpStatusCode admin, HttpStatusCode invoker, HttpStatusCode viewer)
        {
            data.Add("admin", method, path, admin);
            data.Add("invoker", method, path, invoker);
            data.Add("viewer", method, path, viewer);
            data.Add("none", method, path, HttpStatusCode.Unauthorized);
            data.Add("wrong", method, path, HttpStatusCode.Unauthorized);
        }

        // {admin-execution}: an execution the admin key started; invokers did not.
        Row("GET", "/api/functions", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        Row("GET", "/api/functions/examples.echo", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        Row("PUT", "/api/functions/{fresh-name}", HttpStatusCode.Created, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden);
        Row("DELETE", "/api/functions/{saved-name}", HttpStatusCode.NoContent, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden);
        Row("POST", "/api/functions/examples.echo/executions", HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Forbidden);
        Row("GET", "/api/executions", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        Row("GET", "/api/executions/{admin-execution}", HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.OK);
        Row("POST", "/api/executions/await", HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.OK);
        Row("POST", "/api/executions/{admin-execution}/retry", HttpStatusCode.Conflict, HttpStatusCode.NotFound, HttpStatusCode.Forbidden);
        Row("GET", "/openapi/v1.json", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_what_its_role_allows(string caller, string method, string path, HttpStatusCode expected)
    {
        var adminExecution = await _app.StartAsync("examples.echo", new { value = 1 });
        var name = "matrix_" + Guid.NewGuid().ToString("N")[..12];
        if (path.Contains("{saved-name}", StringComparison.Ordinal))
        {
            await SaveAsync(name);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path
            .Replace("{admin-execution}", adminExecution, StringComparison.Ordinal)
            .Replace("{fresh-name}", name, StringComparison.Ordinal)
            .Replace("{saved-name}", name, StringComparison.Ordinal));
        request.Content = (method, path) switch
        {
            ("PUT", _) => new StringContent(Document, System.Text.Encoding.UTF8, "application/json"),
            ("POST", "/api/executions/await") => JsonContent.Create(new { ids = new[] { adminExecution }, timeoutSeconds = 0 }),
            ("POST", _) => JsonContent.Create(new { input = new { value = caller } }),
            _ => null,
        };

        using var client = _app.ClientAs(KeyOf(caller));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == expected, $"{caller} {method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if ((int)expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal((int)expected, JsonNode.Parse(text)!["status"]!.GetValue<int>());
        }

        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_refused_change_changes_nothing()
    {
        var name = "matrix_" + Guid.NewGuid().ToString("N")[..12];
        await SaveAsync(name);

        foreach (var key in new[] { TestKeys.Invoker, TestKeys.Viewer, null, TestKeys.Wrong })
        {
            using var client = _app.ClientAs(key);
            using var deleted = await client.DeleteAsync(new Uri($"/api/functions/{name}", UriKind.Relative));
            using var replaced = await client.PutAsync(new Uri($"/api/functions/{name}", UriKind.Relative), new StringContent("""{ "stack": [], "response": "=2" }""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True((int)deleted.StatusCode is 401 or 403 && (int)replaced.StatusCode is 401 or 403, $"{deleted.StatusCode} {replaced.StatusCode}");
        }

        var function = await _app.GetAsync($"/api/functions/{name}");
        Assert.Equal(1, function["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_viewer_starts_nothing()
    {
        var before = await CountAsync("examples.echo");
        using var response = await _app.ClientAs(TestKeys.Viewer).PostAsJsonAsync("/api/functions/examples.echo/executions", new { input = new { value = 1 } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await CountAsync("examples.echo"));
    }

    private async Task<int> CountAsync(string function) =>
        (await _app.GetAsync($"/api/executions?function={function}&limit=500"))["items"]!.AsArray().Count;

    private async Task SaveAsync(string name)
    {
        using var response = await _app.CreateClient().PutAsync(new Uri($"/api/functions/{name}", UriKind.Relative), new StringContent(Document, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static string? KeyOf(string caller) => caller switch
    {
        "admin" => TestKeys.Admin,
        "invoker" => TestKeys.Invoker,
        "viewer" => TestKeys.Viewer,
        "wrong" => TestKeys.Wrong,
        _ => null,
    };
}
