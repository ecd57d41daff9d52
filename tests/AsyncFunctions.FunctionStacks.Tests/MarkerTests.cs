using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class MarkerTests
{
    private readonly Stacks _stacks = new();

    [Theory]
    [InlineData("\"=1+1\"", "2")]
    [InlineData("\"==1+1\"", "\"=1+1\"")]
    [InlineData("\"===x\"", "\"==x\"")]
    [InlineData("\"1+1\"", "\"1+1\"")]
    [InlineData("\"a = b\"", "\"a = b\"")]
    [InlineData("42", "42")]
    [InlineData("true", "true")]
    [InlineData("null", "null")]
    [InlineData("\"=null\"", "null")]
    [InlineData("\"=undefined\"", "null")]
    [InlineData("\"=[1, 'two', { three: 3 }]\"", "[1,\"two\",{\"three\":3}]")]
    [InlineData("""{ "a": "=1+1", "b": ["=2*2", "==x", "y"], "c": { "d": "=$input.n" } }""", """{"a":2,"b":[4,"=x","y"],"c":{"d":5}}""")]
    public async Task Values_follow_the_marker_rules(string value, string expected)
    {
        var output = await _stacks.RunAsync(Stacks.Doc($$"""[ { "var": "v", "value": {{value}} } ]""", "\"=$var.v\""), new() { ["n"] = 5 });
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), output), output?.ToJsonString() ?? "null");
    }

    [Fact]
    public async Task The_response_is_walked_like_any_value()
    {
        var output = await _stacks.RunAsync(Stacks.Doc("[]", """{ "sum": "=$input.a + $input.b", "label": "==sum" }"""), new() { ["a"] = 1, ["b"] = 2 });
        Assert.Equal("""{"sum":3,"label":"=sum"}""", output!.ToJsonString());
    }

    [Fact]
    public async Task Numbers_without_a_json_form_become_null_and_dates_iso_text()
    {
        var output = await _stacks.RunAsync(Stacks.Doc("[]", """{ "nan": "=NaN", "date": "=new Date(0)" }"""));
        Assert.Equal("""{"nan":null,"date":"1970-01-01T00:00:00.000Z"}""", output!.ToJsonString());
    }

    [Fact]
    public async Task A_function_in_a_value_is_a_js_result_error_naming_its_place()
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => _stacks.RunAsync(Stacks.Doc("[]", """{ "f": "=() => 1" }""")));
        Assert.Equal("js.result", ex.Error.Code);
        Assert.Contains("$.response.f", ex.Message, StringComparison.Ordinal);
    }
}
