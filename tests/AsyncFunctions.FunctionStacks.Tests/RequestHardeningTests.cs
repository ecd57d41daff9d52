using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Request steps cannot write line breaks or other control characters into a request's head.</summary>
public sealed class RequestHardeningTests : IDisposable
{
    private readonly LocalHttpServer _server = new();

    public void Dispose() => _server.Dispose();

    private Stacks Allowed() => new(o => o.AllowedHosts.Add("127.0.0.1"));

    [Theory]
    [InlineData("""{ "X-Test": "a\r\nDELETE /hangfire HTTP/1.1" }""", "$.stack[0].headers['X-Test']")]
    [InlineData("""{ "X-Test": "a\nb" }""", "$.stack[0].headers['X-Test']")]
    [InlineData("""{ "X-Test": "a\rb" }""", "$.stack[0].headers['X-Test']")]
    [InlineData("""{ "X-Test": "a\u0000b" }""", "$.stack[0].headers['X-Test']")]
    [InlineData("""{ "X-Test": "a\u0001b" }""", "$.stack[0].headers['X-Test']")]
    [InlineData("""{ "X-Test": "a\u007Fb" }""", "$.stack[0].headers['X-Test']")]
    [InlineData("""{ "Other": "=$input.h", "Accept": "x\r\n" }""", "$.stack[0].headers.Accept")]
    [InlineData("""{ "X Test": "a" }""", "$.stack[0].headers['X Test']")]
    [InlineData("""{ "X-Test:": "a" }""", "$.stack[0].headers['X-Test:']")]
    [InlineData("""{ "X-Test\r\nHost": "a" }""", "$.stack[0].headers['X-Test\r\nHost']")]
    [InlineData("""{ "": "a" }""", "$.stack[0].headers['']")]
    public void Literal_headers_with_control_characters_or_bad_names_are_definition_problems(string headers, string path)
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc(
            $$"""[ { "request": "https://api.example.com/x", "headers": {{headers}} } ]""",
            inputs: """[ { "name": "h", "type": "text" } ]"""));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains("request.invalid", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_literal_url_with_a_line_break_is_a_definition_problem()
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc("""[ { "request": "https://api.example.com/x\r\nX-Injected: 1" } ]"""));

        Assert.Equal("$.stack[0].request", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Tabs_spaces_and_ordinary_token_names_compile()
    {
        Stacks.Compile(Stacks.Doc("""[ { "request": "https://api.example.com/x", "headers": { "X-Odd_Name!#$%&'*+.^`|~": "a\tb c", "N": 1 } } ]"""));
    }

    [Theory]
    [InlineData("""{ "X-Test": "=`a\\r\\nDELETE /hangfire/jobs/processing/delete HTTP/1.1`" }""")]
    [InlineData("""{ "X-Test": "=`a\\nb`" }""")]
    [InlineData("""{ "X-Test": "=`a\\u0000b`" }""")]
    [InlineData("""{ "X-Test": "=`a\\u001bb`" }""")]
    [InlineData("""  "=({ 'X-Test\\r\\nHost': 'v' })" """)]
    [InlineData("""  "=({ 'X Test': 'v' })" """)]
    public async Task Computed_headers_with_control_characters_or_bad_names_raise_request_invalid(string headers)
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => Allowed().RunAsync(Stacks.Doc(
            $$"""[ { "request": "{{_server.Url("/echo")}}", "headers": {{headers}}, "as": "r" } ]""", "\"=$var.r.status\"")));

        Assert.Equal("request.invalid", ex.Code);
        Assert.DoesNotContain("DELETE", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("`${$input.base}/echo\\r\\nX-Injected: 1`")]
    [InlineData("`${$input.base}/echo\\n`")]
    [InlineData("`${$input.base}/ec\\u0000ho`")]
    public async Task Computed_urls_with_control_characters_raise_request_invalid(string url)
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => Allowed().RunAsync(
            Stacks.Doc($$"""[ { "request": "={{url}}", "as": "r" } ]""", "\"=$var.r.status\"", """[ { "name": "base", "type": "text" } ]"""),
            new JsonObject { ["base"] = _server.Url("") }));

        Assert.Equal("request.invalid", ex.Code);
    }

    [Fact]
    public async Task A_computed_header_with_a_tab_is_sent()
    {
        var output = await Allowed().RunAsync(Stacks.Doc(
            $$"""[ { "request": "{{_server.Url("/echo")}}", "headers": { "X-Test": "=`a\\tb`" }, "as": "r" } ]""", "\"=$var.r\""));

        Assert.Equal(200, output!["status"]!.GetValue<int>());
        Assert.Equal("a\tb", output["body"]!["header"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Content-Length", "$.stack[0].headers['Content-Length']")]
    [InlineData("transfer-encoding", "$.stack[0].headers['transfer-encoding']")]
    [InlineData("Host", "$.stack[0].headers.Host")]
    [InlineData("Connection", "$.stack[0].headers.Connection")]
    public void Literal_framing_and_routing_headers_are_definition_problems_naming_the_header(string name, string path)
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc(
            $$"""[ { "request": "https://api.example.com/x", "method": "POST", "text": "a", "headers": { "{{name}}": "=`5`" } } ]"""));

        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains($"'{name}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("request.invalid", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length", "0")]
    [InlineData("Transfer-Encoding", "chunked")]
    [InlineData("HOST", "internal.example")]
    public async Task Computed_framing_and_routing_headers_raise_request_invalid_naming_the_header(string name, string value)
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => Allowed().RunAsync(Stacks.Doc(
            $$"""[ { "request": "{{_server.Url("/echo")}}", "method": "POST", "text": "smuggled", "headers": "=({ '{{name}}': '{{value}}' })", "as": "r" } ]""", "\"=$var.r.status\"")));

        Assert.Equal("request.invalid", ex.Code);
        Assert.StartsWith("$.stack[0].headers", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(name, ex.Details!["header"]!.GetValue<string>());
    }
}
