using AsyncFunctions.FunctionStacks.Compiling;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class FunctionLookupTests
{
    [Fact]
    public async Task An_async_lookup_checks_each_called_name_once_and_a_stack_may_call_itself()
    {
        var asked = new List<string>();
        var document = System.Text.Json.Nodes.JsonNode.Parse(
            """
            { "name": "walker", "stack": [
                { "call": "known" }, { "call": "known" }, { "call": "missing" }, { "call": "walker" }, { "call": "=`dynamic`" } ] }
            """);

        var result = await FunctionDocumentCompiler.CompileAsync(document, (name, _) =>
        {
            asked.Add(name);
            return ValueTask.FromResult(name == "known");
        });

        Assert.Equal(["known", "missing", "walker"], asked);
        Assert.Equal("$.stack[2].call", Assert.Single(result.Problems).Path);
    }
}
