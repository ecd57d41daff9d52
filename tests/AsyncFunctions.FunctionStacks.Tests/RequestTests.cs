using System.Net;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class RequestTests : IDisposable
{
    private readonly LocalHttpServer _server = new();

    public void Dispose() => _server.Dispose();

    private Stacks Allowed() => new(o => o.AllowedHosts.Add("127.0.0.1"));

    [Fact]
    public async Task A_json_request_yields_status_headers_and_parsed_body()
    {
        var output = await Allowed().RunAsync(Stacks.Doc(
            $$"""
            [ { "request": "{{_server.Url("/echo")}}", "method": "POST",
                "headers": { "X-Test": "=$input.h" }, "params": { "q": "a b", "n": 2, "many": ["x", "y"] },
                "json": { "value": "=$input.v" }, "timeoutSeconds": 30, "as": "r" } ]
            """,
            "\"=$var.r\""), new() { ["h"] = "hello", ["v"] = 42 });

        Assert.Equal(200, output!["status"]!.GetValue<int>());
        Assert.StartsWith("application/json", output["headers"]!["content-type"]!.GetValue<string>(), StringComparison.Ordinal);
        var body = output["body"]!;
        Assert.Equal("POST", body["method"]!.GetValue<string>());
        Assert.Equal("hello", body["header"]!.GetValue<string>());
        Assert.Equal(("a b", "2"), (body["query"]!["q"]!.GetValue<string>(), body["query"]!["n"]!.GetValue<string>()));
        Assert.Contains("many=x&many=y", body["rawQuery"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("application/json", body["contentType"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("""{"value":42}""", body["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_text_response_is_a_text_body_and_error_statuses_do_not_raise()
    {
        var output = await Allowed().RunAsync(Stacks.Doc(
            $$"""
            [ { "request": "{{_server.Url("/text")}}", "text": "hi", "method": "PUT", "as": "t" },
              { "request": "{{_server.Url("/status/503")}}", "as": "s" } ]
            """,
            """{ "t": "=$var.t", "s": "=$var.s" }"""));

        Assert.Equal(("plain words", "yes"), (output!["t"]!["body"]!.GetValue<string>(), output["t"]!["headers"]!["x-reply"]!.GetValue<string>()));
        Assert.Equal((503, "as asked"), (output["s"]!["status"]!.GetValue<int>(), output["s"]!["body"]!["error"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Loopback_is_refused_unless_allow_listed()
    {
        var stacks = new Stacks();
        var output = await stacks.RunAsync(Stacks.Doc(
            $$"""[ { "try": [ { "request": "{{_server.Url("/echo")}}" } ], "catch": [ { "var": "e", "value": "=$var.error" } ] } ]""",
            "\"=$var.e\""));
        Assert.Equal("request.forbidden_host", output!["code"]!.GetValue<string>());
        Assert.Contains("127.0.0.1", output["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<StackErrorException>(() => stacks.RunAsync(Stacks.Doc(
            $$"""[ { "request": "http://localhost:{{_server.Port}}/echo" } ]""")));
        Assert.Equal("request.forbidden_host", ex.Code);
    }

    [Fact]
    public async Task Bad_urls_and_methods_raise_request_invalid()
    {
        var stacks = Allowed();
        var url = await Assert.ThrowsAsync<StackErrorException>(() => stacks.RunAsync(Stacks.Doc("""[ { "request": "=`file:///etc/passwd`" } ]""")));
        var method = await Assert.ThrowsAsync<StackErrorException>(() => stacks.RunAsync(Stacks.Doc($$"""[ { "request": "{{_server.Url("/echo")}}", "method": "=`TRACE`" } ]""")));
        Assert.Equal(("request.invalid", "request.invalid"), (url.Code, method.Code));
    }

    [Fact]
    public async Task Redirects_are_returned_not_followed()
    {
        var output = await Allowed().RunAsync(Stacks.Doc($$"""[ { "request": "{{_server.Url("/redirect")}}", "as": "r" } ]""", "\"=$var.r\""));
        Assert.Equal(302, output!["status"]!.GetValue<int>());
        Assert.Equal("http://169.254.169.254/latest/meta-data", output["headers"]!["location"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_slow_answer_raises_request_timeout()
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => Allowed().RunAsync(Stacks.Doc(
            $$"""[ { "request": "{{_server.Url("/slow")}}", "timeoutSeconds": 0.3 } ]""")));
        Assert.Equal("request.timeout", ex.Code);
    }

    [Fact]
    public async Task A_body_larger_than_the_variable_limit_fails_the_execution()
    {
        var stacks = new Stacks(o => { o.AllowedHosts.Add("127.0.0.1"); o.Limits.VariableBytes = 10; });
        var ex = await Assert.ThrowsAnyAsync<Functions.FunctionException>(() => stacks.RunAsync(Stacks.Doc(
            $$"""[ { "request": "{{_server.Url("/text")}}" } ]""")));
        Assert.Equal("limit.variable_size", ex.Code);
    }

    [Fact]
    public async Task The_client_from_the_container_is_guarded_too()
    {
        using var provider = new ServiceCollection().AddFunctionStacks().BuildServiceProvider();
        var services = provider.GetRequiredService<StackServices>();
        var stacks = new Stacks();
        var body = new StackFunctionBody(Stacks.Compile(Stacks.Doc($$"""[ { "request": "{{_server.Url("/echo")}}" } ]""")), services);
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => body.InvokeAsync(stacks.Executions.Context("test"), default));
        Assert.Equal("request.forbidden_host", ex.Code);

        services.Options.AllowedHosts.Add("127.0.0.1");
        var allowed = new StackFunctionBody(Stacks.Compile(Stacks.Doc($$"""[ { "request": "{{_server.Url("/text")}}", "as": "r" } ]""", "\"=$var.r.status\"")), services);
        Assert.Equal(200, (await allowed.InvokeAsync(stacks.Executions.Context("test"), default))!.GetValue<int>());
    }

    [Fact]
    public async Task Every_request_names_its_execution_and_a_stack_cannot_forge_it()
    {
        var stacks = Allowed();
        var body = new StackFunctionBody(Stacks.Compile(Stacks.Doc(
            $$"""[ { "request": "{{_server.Url("/echo")}}", "headers": { "AsyncFunctions-Execution": "someone-else" }, "as": "r" } ]""",
            "\"=$var.r.body.execution\"")), stacks.Services);

        var output = await body.InvokeAsync(stacks.Executions.Context("test", id: "exec-42"), default);

        Assert.Equal("exec-42", output!.GetValue<string>());
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("64:ff9b:1::808:808", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("::a9fe:a9fe", false)]
    [InlineData("::ffff:0:7f00:1", false)]
    [InlineData("64:ff9b::808:808", true)]
    [InlineData("2002:808:808::1", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2606:4700:4700::1111", true)]
    public void Only_public_addresses_pass(string address, bool isPublic) =>
        Assert.Equal(isPublic, AddressPolicy.IsPublic(IPAddress.Parse(address)));
}
