using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Numbers and thrown values computed at run time get the same checks as literals, as catchable errors.</summary>
public sealed class ComputedValueTests
{
    [Theory]
    [InlineData("""{ "request": "https://example.com/", "timeoutSeconds": "=-1" }""", "$.stack[0].timeoutSeconds")]
    [InlineData("""{ "request": "https://example.com/", "timeoutSeconds": "=1e10" }""", "$.stack[0].timeoutSeconds")]
    [InlineData("""{ "await": "=[]", "timeoutSeconds": "=1e15" }""", "$.stack[0].timeoutSeconds")]
    [InlineData("""{ "query": "SELECT 1", "connection": "none", "timeoutSeconds": "=1e10" }""", "$.stack[0].timeoutSeconds")]
    [InlineData("""{ "query": "SELECT 1", "connection": "none", "timeoutSeconds": "=0" }""", "$.stack[0].timeoutSeconds")]
    public async Task A_computed_timeout_out_of_range_is_a_type_error_naming_the_field(string step, string path)
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => new Stacks().RunAsync(Stacks.Doc($"[ {step} ]")));
        Assert.Equal("value.type", ex.Code);
        Assert.StartsWith(path + ": must be a number from ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_computed_timeout_in_range_is_used()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc("""[ { "await": "=[]", "timeoutSeconds": "=0.5", "as": "r" } ]""", "\"=$var.r\""));
        Assert.Equal("[]", output!.ToJsonString());
    }

    [Fact]
    public async Task A_thrown_object_whose_getters_throw_is_a_plain_javascript_error()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(
            """[ { "try": [ { "lambda": "throw { code: 'mine', get message() { throw 1; } };" } ], "catch": [ { "var": "e", "value": "=$var.error.code" } ] } ]""",
            "\"=$var.e\""));
        Assert.Equal("js.error", output!.GetValue<string>());
    }
}
