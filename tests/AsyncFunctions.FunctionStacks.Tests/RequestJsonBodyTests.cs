using System.Text;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// A response that says it is JSON becomes a JSON value only when that value holds exactly what
/// the text says; otherwise the step keeps the text unchanged and names the problem in <c>jsonError</c>.
/// </summary>
public sealed class RequestJsonBodyTests : IDisposable
{
    private readonly LocalHttpServer _server = new();

    public void Dispose() => _server.Dispose();

    private async Task<JsonObject> ResponseOfAsync(byte[] body)
    {
        var url = _server.Url("/json?base64=" + Uri.EscapeDataString(Convert.ToBase64String(body)));
        var stacks = new Stacks(o => o.AllowedHosts.Add("127.0.0.1"));
        var output = await stacks.RunAsync(Stacks.Doc($$"""[ { "request": "{{url}}", "as": "r" } ]""", "\"=$var.r\""));
        return output!.AsObject();
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "body.a", "lone surrogate")]
    [InlineData("""{"\udc00":1}""", "body", "lone surrogate")]
    [InlineData("""{"a":1,"a":2}""", "body.a", "more than once")]
    [InlineData("""{"n":1e400}""", "body.n", "beyond the range of a double")]
    [InlineData("""[0,{"n":-1e400}]""", "body[1].n", "beyond the range of a double")]
    [InlineData("""{"n":123456789012345678901234567890}""", "body.n", "cannot hold exactly")]
    [InlineData("""{"n":1e-400}""", "body.n", "too small")]
    [InlineData("""{"a":""", "body", "not valid JSON")]
    public async Task A_json_body_that_cannot_be_kept_exactly_stays_text_with_a_json_error_naming_the_path(string json, string path, string reason)
    {
        var response = await ResponseOfAsync(Encoding.UTF8.GetBytes(json));

        Assert.Equal(200, response["status"]!.GetValue<int>());
        Assert.Equal(json, response["body"]!.GetValue<string>());
        var error = response["jsonError"]!.GetValue<string>();
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.StartsWith("$.stack[0]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_dropped_and_the_body_is_json()
    {
        var response = await ResponseOfAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("""{"a":[1,"ü"]}""")]);

        Assert.Equal("""{"a":[1,"ü"]}""", response["body"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Null(response["jsonError"]);
    }

    [Fact]
    public async Task Ordinary_json_with_pairs_safe_integers_and_fractions_is_parsed()
    {
        var response = await ResponseOfAsync(Encoding.UTF8.GetBytes("""{"s":"\ud83d\ude00","big":9007199254740992,"f":0.1,"neg":-2.5e10,"z":0,"a":[{"a":1},{"a":2}]}"""));

        var body = response["body"]!;
        Assert.Equal("\U0001F600", body["s"]!.GetValue<string>());
        Assert.Equal(9007199254740992d, body["big"]!.GetValue<double>());
        Assert.Equal(2, body["a"]![1]!["a"]!.GetValue<int>());
        Assert.Null(response["jsonError"]);
    }
}
