using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using static AsyncFunctions.Server.Tests.HostileRequest;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Malformed and hostile requests at every endpoint: each must be answered with its 4xx as an
/// RFC 7807 problem, never a 500, and must leave the stored functions and executions as they were.
/// A new case is one line in <see cref="Cases"/>.
/// </summary>
public sealed class HostileRequestTests(SharedApp shared, ITestOutputHelper output) : IClassFixture<SharedApp>
{
    private const string Target = "hostile.target";
    private const string Functions = "/api/functions/" + Target;
    private const string Start = Functions + "/executions";
    private const string Await = "/api/executions/await";
    private const string Executions = "/api/executions";

    private static readonly string TargetDocument = """
        {
          "description": "The target of hostile requests; grüße 😀",
          "inputs": [
            { "name": "who", "type": "text", "default": "world" },
            { "name": "times", "type": "decimal", "default": 1 },
            { "name": "extra", "type": "any" }
          ],
          "stack": [ { "var": "greeting", "value": "=`Hello, ${$input.who}!`" } ],
          "response": { "greeting": "=$var.greeting", "times": "=$input.times", "extra": "=$input.extra" }
        }
        """;

    private static readonly string Overlong = new('a', 5000);

    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Put = HttpMethod.Put;
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Delete = HttpMethod.Delete;
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    private static readonly byte[] Invalid = [0xFF];
    private static readonly byte[] OverlongEncoding = [0xC0, 0xAF];
    private static readonly byte[] EncodedSurrogate = [0xED, 0xA0, 0x80];
    private static readonly byte[] Truncated = [0xE2, 0x82];
    private static readonly byte[] LoneContinuation = [0x80];

    private static readonly Dictionary<string, HostileRequest> Cases = new()
    {
        // PUT /api/functions/{name}: the body is a document.
        ["put: duplicate top-level key"] = Json(Put, Functions, """{ "description": "a", "description": "b", "stack": [], "response": 1 }""", "duplicate"),
        ["put: duplicate key in a step"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "var": "b", "value": 1 } ], "response": 1 }""", "duplicate"),
        ["put: duplicate key deep in a value"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": { "k": [ { "x": 1, "x": 2 } ] } } ], "response": "=$var.a" }""", "duplicate"),
        ["put: invalid UTF-8 byte"] = Raw(Put, Functions, Spliced("""{ "description": "§", "stack": [], "response": 1 }""", Invalid), "UTF-8"),
        ["put: overlong UTF-8 encoding"] = Raw(Put, Functions, Spliced("""{ "description": "§", "stack": [], "response": 1 }""", OverlongEncoding), "UTF-8"),
        ["put: UTF-8 encoded surrogate"] = Raw(Put, Functions, Spliced("""{ "description": "§", "stack": [], "response": 1 }""", EncodedSurrogate), "UTF-8"),
        ["put: invalid UTF-8 in a key"] = Raw(Put, Functions, Spliced("""{ "stack": [ { "var": "a", "value": { "§": 1 } } ], "response": 1 }""", Invalid), "UTF-8"),
        ["put: unpaired high surrogate"] = Json(Put, Functions, """{ "description": "\ud800", "stack": [], "response": 1 }""", "surrogate"),
        ["put: unpaired low surrogate in a key"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": { "\udc00": 1 } } ], "response": "=$var.a" }""", "surrogate"),
        ["put: reversed surrogate pair"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": "x\udc00\ud800" } ], "response": "=$var.a" }""", "surrogate"),
        ["put: unpaired surrogate in an expression"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": "='\ud800'" } ], "response": "=$var.a" }""", "surrogate"),
        ["put: nesting beyond the depth limit"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": """ + new string('[', 200) + new string(']', 200) + " } ], \"response\": 1 }", "depth"),
        ["put: number beyond double"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": 1e400 } ], "response": "=$var.a" }""", "number"),
        ["put: negative number beyond double"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": -1e400 } ], "response": "=$var.a" }""", "number"),
        ["put: number where text is expected"] = Json(Put, Functions, """{ "description": 5, "stack": [], "response": 1 }"""),
        ["put: name that is a number"] = Json(Put, Functions, """{ "name": 5, "stack": [], "response": 1 }"""),
        ["put: stack that is an object"] = Json(Put, Functions, """{ "stack": { "var": "a" }, "response": 1 }"""),
        ["put: empty body"] = Json(Put, Functions, ""),
        ["put: whitespace body"] = Json(Put, Functions, "  \n ", "JSON"),
        ["put: null body"] = Json(Put, Functions, "null", "object"),
        ["put: array body"] = Json(Put, Functions, "[]", "object"),
        ["put: string body"] = Json(Put, Functions, "\"stack\"", "object"),
        ["put: broken JSON"] = Json(Put, Functions, """{ "stack": [ }""", "line 1"),
        ["put: trailing data"] = Json(Put, Functions, """{ "stack": [], "response": 1 } {}""", "JSON"),
        ["put: comment"] = Json(Put, Functions, """{ /* hi */ "stack": [], "response": 1 }""", "JSON"),
        ["put: NaN literal"] = Json(Put, Functions, """{ "stack": [ { "var": "a", "value": NaN } ], "response": 1 }""", "JSON"),
        ["put: text/plain"] = Raw(Put, Functions, Bytes(TargetDocument), "application/json", HttpStatusCode.UnsupportedMediaType, "text/plain"),
        ["put: form content type"] = Raw(Put, Functions, Bytes(TargetDocument), "application/json", HttpStatusCode.UnsupportedMediaType, "application/x-www-form-urlencoded"),
        ["put: UTF-16 charset"] = Raw(Put, Functions, Encoding.Unicode.GetBytes(TargetDocument), "utf-16", HttpStatusCode.UnsupportedMediaType, "application/json; charset=utf-16"),
        ["put: garbage content type"] = Raw(Put, Functions, Bytes(TargetDocument), null, HttpStatusCode.UnsupportedMediaType, "((json"),
        ["put: body over the limit"] = Raw(Put, Functions, Bytes("{ \"description\": \"", new string('x', 5000), "\" }"), "MaxRequestBodyBytes", HttpStatusCode.RequestEntityTooLarge),
        ["put: chunked body over the limit"] = Raw(Put, Functions, Bytes("{ \"description\": \"", new string('x', 5000), "\" }"), null, HttpStatusCode.RequestEntityTooLarge) with { Chunked = true },
        ["put: overlong name"] = Json(Put, "/api/functions/" + Overlong, """{ "stack": [], "response": 1 }"""),
        ["put: name with odd characters"] = Json(Put, "/api/functions/a%20b%2F..%01", """{ "stack": [], "response": 1 }"""),
        ["put: name with invalid percent-encoding"] = Json(Put, "/api/functions/%FF%FE", """{ "stack": [], "response": 1 }"""),
        ["put: a C# function's name"] = Json(Put, "/api/functions/examples.echo", """{ "stack": [], "response": 1 }""", status: HttpStatusCode.Conflict),

        // GET and DELETE /api/functions/{name}
        ["get function: overlong name"] = Bare(Get, "/api/functions/" + Overlong, HttpStatusCode.NotFound),
        ["get function: odd characters"] = Bare(Get, "/api/functions/%E2%80%AE..%2F%01%FF", HttpStatusCode.NotFound),
        ["delete function: overlong name"] = Bare(Delete, "/api/functions/" + Overlong, HttpStatusCode.NotFound),
        ["delete function: odd characters"] = Bare(Delete, "/api/functions/%E2%80%AE..%2F%01%FF", HttpStatusCode.NotFound),
        ["delete function: a C# function"] = Bare(Delete, "/api/functions/examples.echo", HttpStatusCode.Conflict),
        ["functions: method not allowed"] = Json(Patch, Functions, "{}", status: HttpStatusCode.MethodNotAllowed),

        // POST /api/functions/{name}/executions, async
        ["start: duplicate input key"] = Json(Post, Start, """{ "input": { "who": "a" }, "input": { "who": "b" } }""", "duplicate"),
        ["start: duplicate mode key"] = Json(Post, Start, """{ "mode": "async", "mode": "async", "input": {} }""", "duplicate"),
        ["start: duplicate key in input"] = Json(Post, Start, """{ "input": { "who": "a", "who": "b" } }""", "duplicate"),
        ["start: duplicate key spelled with an escape"] = Json(Post, Start, """{ "input": { "who": "a", "\u0077ho": "b" } }""", "duplicate"),
        ["start: duplicate key nested in input"] = Json(Post, Start, """{ "input": { "who": "a", "extra": { "list": [ { "z": 1, "z": 2 } ] } } }""", "duplicate"),
        ["start: invalid UTF-8 in input"] = Raw(Post, Start, Spliced("""{ "input": { "who": "a§b" } }""", Invalid), "UTF-8"),
        ["start: lone continuation byte"] = Raw(Post, Start, Spliced("""{ "input": { "who": "§" } }""", LoneContinuation), "UTF-8"),
        ["start: truncated UTF-8 sequence"] = Raw(Post, Start, Spliced("""{ "input": { "who": "§" } }""", Truncated), "UTF-8"),
        ["start: UTF-8 encoded surrogate"] = Raw(Post, Start, Spliced("""{ "input": { "who": "§" } }""", EncodedSurrogate), "UTF-8"),
        ["start: invalid UTF-8 in a key"] = Raw(Post, Start, Spliced("""{ "input": { "§": 1 } }""", Invalid), "UTF-8"),
        ["start: invalid UTF-8 at the end"] = Raw(Post, Start, Bytes("""{ "input": {} }""", Truncated), "UTF-8"),
        ["start: unpaired high surrogate"] = Json(Post, Start, """{ "input": { "who": "\ud800" } }""", "surrogate"),
        ["start: unpaired surrogate at the end"] = Json(Post, Start, """{ "input": { "who": "ok \udbff" } }""", "surrogate"),
        ["start: unpaired surrogate in a key"] = Json(Post, Start, """{ "input": { "who": "a", "\udc00": 1 } }""", "surrogate"),
        ["start: unpaired surrogate nested"] = Json(Post, Start, """{ "input": { "who": "a", "extra": [ [ { "v": "\ud800x" } ] ] } }""", "surrogate"),
        ["start: nesting beyond the depth limit"] = Json(Post, Start, """{ "input": { "who": "a", "extra": """ + new string('[', 100) + new string(']', 100) + " } }", "depth"),
        ["start: number beyond double"] = Json(Post, Start, """{ "input": { "times": 1e400 } }""", "number"),
        ["start: number beyond double nested"] = Json(Post, Start, """{ "input": { "extra": { "n": [ 1e400 ] } } }""", "number"),
        ["start: number where text is expected"] = Json(Post, Start, """{ "input": { "who": 5 } }""", "who"),
        ["start: text where a number is expected"] = Json(Post, Start, """{ "input": { "times": "5" } }""", "times"),
        ["start: input is an array"] = Json(Post, Start, """{ "input": [ 1 ] }""", "input"),
        ["start: input is a string"] = Json(Post, Start, """{ "input": "who" }""", "input"),
        ["start: mode is a number"] = Json(Post, Start, """{ "mode": 1, "input": {} }""", "mode"),
        ["start: unknown mode"] = Json(Post, Start, """{ "mode": "SYNC", "input": {} }""", "mode"),
        ["start: null body"] = Json(Post, Start, "null", "object"),
        ["start: array body"] = Json(Post, Start, """[ { "input": {} } ]""", "object"),
        ["start: number body"] = Json(Post, Start, "42", "object"),
        ["start: whitespace body"] = Json(Post, Start, " ", "JSON"),
        ["start: broken JSON"] = Json(Post, Start, """{ "input": { "who": "a", } }""", "line 1"),
        ["start: text/plain"] = Raw(Post, Start, Bytes("{}"), "application/json", HttpStatusCode.UnsupportedMediaType, "text/plain"),
        ["start: XML"] = Raw(Post, Start, Bytes("<input/>"), "application/json", HttpStatusCode.UnsupportedMediaType, "application/xml"),
        ["start: UTF-16 charset"] = Raw(Post, Start, Encoding.Unicode.GetBytes("{}"), "utf-16", HttpStatusCode.UnsupportedMediaType, "application/json; charset=utf-16"),
        ["start: body over the limit"] = Raw(Post, Start, Bytes("{ \"input\": { \"who\": \"", new string('x', 5000), "\" } }"), "MaxRequestBodyBytes", HttpStatusCode.RequestEntityTooLarge),
        ["start: chunked body over the limit"] = Raw(Post, Start, Bytes("{ \"input\": { \"who\": \"", new string('x', 5000), "\" } }"), null, HttpStatusCode.RequestEntityTooLarge) with { Chunked = true },
        ["start: overlong function name"] = Json(Post, $"/api/functions/{Overlong}/executions", "{}", status: HttpStatusCode.NotFound),
        ["start: function name with odd characters"] = Json(Post, "/api/functions/%E2%80%AE..%2F%01%FF/executions", "{}", status: HttpStatusCode.NotFound),

        // POST /api/functions/{name}/executions, sync
        ["sync: duplicate key in input"] = Json(Post, Start, """{ "mode": "sync", "input": { "who": "a", "who": "b" } }""", "duplicate"),
        ["sync: duplicate mode key"] = Json(Post, Start, """{ "mode": "async", "mode": "sync", "input": {} }""", "duplicate"),
        ["sync: invalid UTF-8 in input"] = Raw(Post, Start, Spliced("""{ "mode": "sync", "input": { "who": "§" } }""", Invalid), "UTF-8"),
        ["sync: unpaired surrogate in input"] = Json(Post, Start, """{ "mode": "sync", "input": { "who": "\ud800" } }""", "surrogate"),
        ["sync: unpaired surrogate in mode"] = Json(Post, Start, """{ "mode": "sync\ud800", "input": {} }""", "surrogate"),
        ["sync: number beyond double"] = Json(Post, Start, """{ "mode": "sync", "input": { "times": -1e400 } }""", "number"),
        ["sync: nesting beyond the depth limit"] = Json(Post, Start, """{ "mode": "sync", "input": { "extra": """ + new string('[', 100) + new string(']', 100) + " } }", "depth"),

        // POST /api/executions/await
        ["await: duplicate ids key"] = Json(Post, Await, """{ "ids": ["a"], "ids": ["b"] }""", "duplicate"),
        ["await: duplicate timeout key"] = Json(Post, Await, """{ "ids": ["a"], "timeoutSeconds": 1, "timeoutSeconds": 2 }""", "duplicate"),
        ["await: duplicate key nested"] = Json(Post, Await, """{ "ids": ["a"], "extra": { "a": 1, "a": 2 } }""", "duplicate"),
        ["await: invalid UTF-8 in an id"] = Raw(Post, Await, Spliced("""{ "ids": [ "§" ] }""", Invalid), "UTF-8"),
        ["await: unpaired surrogate in an id"] = Json(Post, Await, """{ "ids": [ "\ud800" ] }""", "surrogate"),
        ["await: number beyond double as timeout"] = Json(Post, Await, """{ "ids": ["a"], "timeoutSeconds": 1e400 }""", "number"),
        ["await: timeout as text"] = Json(Post, Await, """{ "ids": ["a"], "timeoutSeconds": "1" }""", "timeoutSeconds"),
        ["await: ids as text"] = Json(Post, Await, """{ "ids": "a" }""", "ids"),
        ["await: id as number"] = Json(Post, Await, """{ "ids": [ 1 ] }""", "ids[0]"),
        ["await: empty body"] = Json(Post, Await, "", "ids"),
        ["await: null body"] = Json(Post, Await, "null", "object"),
        ["await: array body"] = Json(Post, Await, """[ "a" ]""", "object"),
        ["await: nesting beyond the depth limit"] = Json(Post, Await, """{ "ids": """ + new string('[', 100) + new string(']', 100) + " }", "depth"),
        ["await: text/plain"] = Raw(Post, Await, Bytes("""{ "ids": ["a"] }"""), "application/json", HttpStatusCode.UnsupportedMediaType, "text/plain"),
        ["await: body over the limit"] = Raw(Post, Await, Bytes("{ \"ids\": [\"", new string('x', 5000), "\"] }"), "MaxRequestBodyBytes", HttpStatusCode.RequestEntityTooLarge),

        // GET /api/executions/{id}
        ["get execution: waitSeconds negative"] = Bare(Get, Executions + "/x?waitSeconds=-1", HttpStatusCode.BadRequest, "waitSeconds"),
        ["get execution: waitSeconds not a number"] = Bare(Get, Executions + "/x?waitSeconds=abc", HttpStatusCode.BadRequest, "waitSeconds"),
        ["get execution: waitSeconds beyond int"] = Bare(Get, Executions + "/x?waitSeconds=99999999999", HttpStatusCode.BadRequest, "waitSeconds"),
        ["get execution: waitSeconds fractional"] = Bare(Get, Executions + "/x?waitSeconds=1.5", HttpStatusCode.BadRequest, "waitSeconds"),
        ["get execution: waitSeconds twice"] = Bare(Get, Executions + "/x?waitSeconds=1&waitSeconds=2", HttpStatusCode.BadRequest, "waitSeconds"),
        ["get execution: overlong id"] = Bare(Get, Executions + "/" + Overlong, HttpStatusCode.NotFound),
        ["get execution: odd characters"] = Bare(Get, Executions + "/%E2%80%AE..%2F%01%FF", HttpStatusCode.NotFound),

        // GET /api/executions
        ["list: limit not a number"] = Bare(Get, Executions + "?limit=abc", HttpStatusCode.BadRequest, "limit"),
        ["list: limit beyond int"] = Bare(Get, Executions + "?limit=99999999999", HttpStatusCode.BadRequest, "limit"),
        ["list: limit negative"] = Bare(Get, Executions + "?limit=-1", HttpStatusCode.BadRequest, "limit"),
        ["list: limit over the maximum"] = Bare(Get, Executions + "?limit=501", HttpStatusCode.BadRequest, "limit"),
        ["list: status as a number"] = Bare(Get, Executions + "?status=1", HttpStatusCode.BadRequest, "status"),
        ["list: status with odd characters"] = Bare(Get, Executions + "?status=%00%FF", HttpStatusCode.BadRequest, "status"),
        ["list: malformed cursor"] = Bare(Get, Executions + "?cursor=%%%", HttpStatusCode.BadRequest, "cursor"),
        ["list: cursor of a negative position"] = Bare(Get, Executions + "?cursor=" + Convert.ToBase64String(Encoding.ASCII.GetBytes("s-1")), HttpStatusCode.BadRequest, "cursor"),
        ["list: cursor beyond long"] = Bare(Get, Executions + "?cursor=" + Convert.ToBase64String(Encoding.ASCII.GetBytes("s99999999999999999999999")), HttpStatusCode.BadRequest, "cursor"),
        ["list: huge cursor"] = Bare(Get, Executions + "?cursor=" + new string('A', 100_000), HttpStatusCode.BadRequest, "cursor"),
        ["list: cursor with invalid percent-encoding"] = Bare(Get, Executions + "?cursor=%FF%FE", HttpStatusCode.BadRequest, "cursor"),
        ["executions: method not allowed"] = Json(Put, Executions, "{}", status: HttpStatusCode.MethodNotAllowed),

        // The example webhook (enabled in the tests' settings)
        ["webhook: duplicate key"] = Json(Post, "/examples/webhook", """{ "to": "a", "to": "bounce" }""", "duplicate"),
        ["webhook: broken JSON"] = Json(Post, "/examples/webhook", """{ "to": """),
        ["webhook: unpaired surrogate"] = Json(Post, "/examples/webhook", """{ "to": "\ud800" }""", "surrogate"),
    };

    private readonly TestApp _app = shared.App;

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Is_refused_with_a_problem_and_changes_nothing(string name)
    {
        var hostile = Cases[name];
        await SaveTargetAsync();
        var before = await SnapshotAsync();

        using var request = hostile.ToMessage();
        using var response = await _app.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine(text);

        Assert.True(response.StatusCode == hostile.Status, $"Expected {(int)hostile.Status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)hostile.Status, problem["status"]!.GetValue<int>());
        if (hostile.Mentions is { } mentions)
        {
            Assert.Contains(mentions, problem.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Well_formed_surrogate_pairs_and_large_finite_numbers_are_accepted()
    {
        await SaveTargetAsync();
        var body = """{ "mode": "sync", "input": { "who": "\ud83d\ude00 😀", "extra": [ 1.7e308, "\u0000" ] } }""";
        using var response = await _app.CreateClient().PostAsync(new Uri(Start, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var output = JsonNode.Parse(text)!["output"]!;
        Assert.Equal("Hello, 😀 😀!", output["greeting"]!.GetValue<string>());
        Assert.Equal(1.7e308, output["extra"]![0]!.GetValue<double>());
        Assert.Equal("\0", output["extra"]![1]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/vnd.example+json; charset=utf-8")]
    public async Task Json_in_utf8_is_accepted_under_each_of_its_content_types(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(TargetDocument));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await _app.CreateClient().PutAsync(new Uri(Functions, UriKind.Relative), content);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static HostileRequest Json(HttpMethod method, string path, string body, string? mentions = null, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        new(method, path, status, Encoding.UTF8.GetBytes(body), Mentions: mentions);

    private static HostileRequest Raw(HttpMethod method, string path, byte[] body, string? mentions, HttpStatusCode status = HttpStatusCode.BadRequest, string? contentType = "application/json") =>
        new(method, path, status, body, contentType, mentions);

    private static HostileRequest Bare(HttpMethod method, string path, HttpStatusCode status, string? mentions = null) =>
        new(method, path, status, Mentions: mentions);

    private async Task SaveTargetAsync()
    {
        using var response = await _app.CreateClient().PutAsync(new Uri(Functions, UriKind.Relative), new StringContent(TargetDocument, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Everything a request could have changed: the functions, the target's document and the executions.</summary>
    private async Task<string> SnapshotAsync()
    {
        var client = _app.CreateClient();
        var functions = await client.GetStringAsync(new Uri("/api/functions", UriKind.Relative));
        var target = await client.GetStringAsync(new Uri(Functions, UriKind.Relative));
        var executions = JsonNode.Parse(await client.GetStringAsync(new Uri(Executions + "?limit=500", UriKind.Relative)))!["items"]!.AsArray();
        return string.Join("\n", functions, target, string.Join(",", executions.Select(e => e!["id"]!.GetValue<string>())));
    }
}
