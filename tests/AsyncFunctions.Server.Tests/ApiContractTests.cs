using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The OpenAPI document against the real API: every endpoint under /api is documented, every
/// documented operation is exercised here, and every answer seen (happy paths and errors) has
/// a declared status and content type, the declared required headers, and a body valid against
/// the declared schema. A new endpoint needs a step in <see cref="Steps"/> with its answers.
/// </summary>
public sealed class ApiContractTests(ContractApp contract) : IClassFixture<ContractApp>
{
    private const string StackDocument = """{ "description": "Adds one.", "inputs": [{ "name": "n", "type": "int", "required": true }], "stack": [], "response": "=input.n + 1" }""";

    private const string LongRun = "examples.echo";

    /// <summary>One step per endpoint (or group of answers); each exercises its answers through recording clients.</summary>
    private IEnumerable<(string Name, Func<Task> Run)> Steps()
    {
        yield return ("list functions", ListFunctionsAsync);
        yield return ("read a function", GetFunctionAsync);
        yield return ("save and delete a function stack", SaveAndDeleteAsync);
        yield return ("start executions", StartAsync);
        yield return ("read executions", GetExecutionAsync);
        yield return ("list executions", ListExecutionsAsync);
        yield return ("await executions", AwaitAsync);
        yield return ("stream execution events", StreamEventsAsync);
        yield return ("cancel and retry executions", CancelAndRetryAsync);
        yield return ("keys and rate limits", AccessAsync);
        yield return ("health", HealthAsync);
    }

    [Fact]
    public async Task Every_answer_of_every_endpoint_keeps_to_the_document()
    {
        var document = await DocumentAsync();
        foreach (var (_, run) in Steps())
        {
            await run();
        }

        var exchanges = contract.Exchanges.ToList();
        var violations = exchanges.SelectMany(document.Violations).ToList();
        Assert.True(violations.Count == 0, $"{violations.Count} answer(s) break the contract:\n" + string.Join("\n", violations));

        var exercised = exchanges.Select(e => (e.Method, document.FindTemplate(e.Method, e.Path))).ToHashSet();
        var missed = document.Operations.Where(o => !exercised.Contains(o)).ToList();
        Assert.True(missed.Count == 0, "Documented operations that no step exercises (add a step): " + string.Join(", ", missed));
    }

    [Fact]
    public async Task Every_endpoint_under_api_is_in_the_document()
    {
        var document = await DocumentAsync();
        var endpoints = contract.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (Method: m, Pattern: Normalize(e.RoutePattern.RawText!))))
            .ToList();
        Assert.NotEmpty(endpoints);

        var documented = document.Operations.Select(o => (o.Method, Normalize(o.Template))).ToHashSet();
        var missing = endpoints.Where(e => !documented.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "Endpoints missing from the OpenAPI document: " + string.Join(", ", missing));
    }

    private async Task<OpenApiContract> DocumentAsync() =>
        new(await contract.App.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

    /// <summary>Route parameters compared by place, not name; no trailing slash.</summary>
    private static string Normalize(string pattern) =>
        "/" + string.Join('/', pattern.Trim('/').Split('/').Select(s => s.StartsWith('{') ? "{}" : s));

    private async Task ListFunctionsAsync()
    {
        await SendAsync(TestKeys.Invoker, HttpMethod.Get, "/api/functions", expected: 200);
    }

    private async Task GetFunctionAsync()
    {
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/functions/examples.echo", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/functions/examples.process_upload", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/functions/no.such.function", expected: 404);
    }

    private async Task SaveAndDeleteAsync()
    {
        var name = "contract_" + Guid.NewGuid().ToString("N")[..12];
        await SendAsync(TestKeys.Admin, HttpMethod.Put, $"/api/functions/{name}", Json(StackDocument), 201);
        await SendAsync(TestKeys.Admin, HttpMethod.Put, $"/api/functions/{name}", Json(StackDocument), 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Put, $"/api/functions/{name}", Json("""{ "stack": [{ "call": 1 }], "colour": "red" }"""), 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Put, "/api/functions/examples.echo", Json(StackDocument), 409);
        await SendAsync(TestKeys.Invoker, HttpMethod.Put, $"/api/functions/{name}", Json(StackDocument), 403);
        await SendAsync(TestKeys.Admin, HttpMethod.Put, $"/api/functions/{name}", new StringContent(StackDocument, Encoding.UTF8, "text/plain"), 415);
        await SendAsync(TestKeys.Admin, HttpMethod.Put, $"/api/functions/{name}", Json($$"""{ "description": "{{new string('x', 5000)}}", "stack": [] }"""), 413);
        await SendAsync(TestKeys.Invoker, HttpMethod.Delete, $"/api/functions/{name}", expected: 403);
        await SendAsync(TestKeys.Admin, HttpMethod.Delete, $"/api/functions/{name}", expected: 204);
        await SendAsync(TestKeys.Admin, HttpMethod.Delete, $"/api/functions/{name}", expected: 404);
    }

    private async Task StartAsync()
    {
        const string start = "/api/functions/examples.echo/executions";
        await SendAsync(TestKeys.Invoker, HttpMethod.Post, start, Json("""{ "input": { "value": 1 } }"""), 202);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json("""{ "input": { "value": 1 }, "delaySeconds": 3600 }"""), 202);
        var key = Guid.NewGuid().ToString("N");
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json("""{ "input": { "value": 2 } }"""), 202, r => r.Headers.Add("Idempotency-Key", key));
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json("""{ "input": { "value": 2 } }"""), 200, r => r.Headers.Add("Idempotency-Key", key));
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json("""{ "input": { "value": 3 } }"""), 422, r => r.Headers.Add("Idempotency-Key", key));
        const string run = "/api/functions/examples.echo/run";
        await SendAsync(TestKeys.Invoker, HttpMethod.Post, run, Json("""{ "input": { "value": [1, "two"] } }"""), 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/functions/examples.fail/run", Json("""{ "input": { "message": "no" } }"""), 422);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, run, Json("""{ "input": { "value": 1 }, "mode": "sync" }"""), 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/functions/no.such.function/run", Json("""{ "input": {} }"""), 404);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, run, new StringContent("value=1", Encoding.UTF8, "application/x-www-form-urlencoded"), 415);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, run, Json($$"""{ "input": { "value": "{{new string('x', 5000)}}" } }"""), 413);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json("""{ "input": { "value": 1 }, "when": "now" }"""), 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json("""{ "input": {} }"""), 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json("""{ "input": { "value": 1 }, "callbackUrl": "not a url" }"""), 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/functions/no.such.function/executions", Json("""{ "input": {} }"""), 404);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, new StringContent("value=1", Encoding.UTF8, "application/x-www-form-urlencoded"), 415);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, start, Json($$"""{ "input": { "value": "{{new string('x', 5000)}}" } }"""), 413);
    }

    private async Task StreamEventsAsync()
    {
        // Streams of finished executions: the whole answer is one event each and the end.
        var id = await StartEchoAsync();
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{id}?waitSeconds=30", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{id}/events", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{id}/events?since=1", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions/no-such-execution/events", expected: 404);
        await SendAsync(TestKeys.OtherInvoker, HttpMethod.Get, $"/api/executions/{id}/events", expected: 404);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/events?ids={id}", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions/events", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/events?ids={id}&ids=no-such-execution", expected: 404);
    }

    private async Task GetExecutionAsync()
    {
        var id = await StartEchoAsync();
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{id}?waitSeconds=30", expected: 200);
        var failed = await StartAsync("examples.fail", """{ "message": "contract" }""");
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{failed}?waitSeconds=30", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{id}?waitSeconds=-1", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{id}?wait=1", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions/no-such-execution", expected: 404);
        await SendAsync(TestKeys.OtherInvoker, HttpMethod.Get, $"/api/executions/{id}", expected: 404);
    }

    private async Task ListExecutionsAsync()
    {
        var page = await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions?function=examples.echo&status=Succeeded&limit=2", expected: 200);
        var cursor = page!["nextCursor"]?.GetValue<string>();
        if (cursor is not null)
        {
            await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions?limit=2&cursor={Uri.EscapeDataString(cursor)}", expected: 200);
        }

        await SendAsync(TestKeys.Invoker, HttpMethod.Get, "/api/executions?createdAfter=2020-01-01T00:00:00Z", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions?limit=0", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions?limit=abc", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions?status=Lost", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Get, "/api/executions?colour=red", expected: 400);
    }

    private async Task AwaitAsync()
    {
        var id = await StartEchoAsync();
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/await", JsonContent.Create(new { ids = new[] { id }, timeoutSeconds = 30 }), 200);
        var delayed = await StartAsync(LongRun, """{ "value": 1, "delayMs": 600000 }""");
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/await", JsonContent.Create(new { ids = new[] { delayed }, timeoutSeconds = 0 }), 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/await", JsonContent.Create(new { ids = new[] { "no-such-execution" }, timeoutSeconds = 0 }), 404);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/await", JsonContent.Create(new { ids = Array.Empty<string>() }), 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/await", new StringContent("ids", Encoding.UTF8, "text/plain"), 415);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/await", Json($$"""{ "ids": ["{{new string('x', 5000)}}"] }"""), 413);
    }

    private async Task CancelAndRetryAsync()
    {
        var scheduled = await StartAsync(LongRun, """{ "value": 1 }""", """, "delaySeconds": 3600""");
        await SendAsync(TestKeys.Viewer, HttpMethod.Post, $"/api/executions/{scheduled}/cancel", expected: 403);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/executions/{scheduled}/cancel?children=true", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/executions/{scheduled}/cancel", expected: 409);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/executions/{scheduled}/cancel?force=1", expected: 400);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/no-such-execution/cancel", expected: 404);
        var other = await StartAsync(LongRun, """{ "value": 1 }""", """, "delaySeconds": 3600""");
        await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/executions/{other}/cancel", expected: 200);

        await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/executions/{scheduled}/retry", expected: 200);
        var succeeded = await StartEchoAsync();
        await SendAsync(TestKeys.Admin, HttpMethod.Get, $"/api/executions/{succeeded}?waitSeconds=30", expected: 200);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/executions/{succeeded}/retry", expected: 409);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/executions/{succeeded}/retry?now=1", expected: 400);
        await SendAsync(TestKeys.Viewer, HttpMethod.Post, $"/api/executions/{succeeded}/retry", expected: 429);
        await SendAsync(TestKeys.Admin, HttpMethod.Post, "/api/executions/no-such-execution/retry", expected: 404);
    }

    private async Task AccessAsync()
    {
        await SendAsync(null, HttpMethod.Get, "/api/functions", expected: 401);
        await SendAsync(TestKeys.Wrong, HttpMethod.Get, "/api/executions", expected: 401);
        await SendAsync(TestKeys.Wrong, HttpMethod.Post, "/api/executions/await", JsonContent.Create(new { ids = new[] { "x" } }), 401);
    }

    private async Task HealthAsync()
    {
        foreach (var path in new[] { "/health", "/health/live", "/health/ready" })
        {
            using var response = await contract.ClientAs(null).GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(200, (int)response.StatusCode);
        }
    }

    private async Task<string> StartEchoAsync() => await StartAsync("examples.echo", """{ "value": { "contract": true } }""");

    private async Task<string> StartAsync(string function, string input, string extra = "")
    {
        var record = await SendAsync(TestKeys.Admin, HttpMethod.Post, $"/api/functions/{function}/executions", Json($$"""{ "input": {{input}}{{extra}} }"""), 202);
        return record!["id"]!.GetValue<string>();
    }

    private async Task<JsonNode?> SendAsync(string? key, HttpMethod method, string path, HttpContent? content = null, int expected = 200, Action<HttpRequestMessage>? configure = null)
    {
        using var client = contract.ClientAs(key);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{method} {path}: expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length > 0 && response.Content.Headers.ContentType?.MediaType != "text/event-stream" ? JsonNode.Parse(text) : null;
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
