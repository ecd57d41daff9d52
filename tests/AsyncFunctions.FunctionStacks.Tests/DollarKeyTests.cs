using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Only names in binding position are bindings: property names and keys may start with $ (JSON Schema, MongoDB).</summary>
public sealed class DollarKeyTests
{
    [Fact]
    public async Task Keys_and_property_names_starting_with_a_dollar_save_and_run()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(
            """
            [ { "var": "doc", "value": "=({ $id: 'a1', $set: { n: 1 }, 'x': { $ref: '#/defs' } })" },
              { "lambda": "const update = { $set: { n: $var.doc.$set.n + 1 }, $inc: { seen: 1 } };\nclass Schema { $schema = 'draft'; get $id() { return 's'; } $ref() { return $var.doc.x.$ref; } }\nconst s = new Schema();\n$label: for (;;) { break $label; }\nreturn { update, schema: [s.$schema, s.$id, s.$ref()], optional: $var.doc?.$missing ?? null };", "as": "made" } ]
            """,
            """{ "id": "=$var.doc.$id", "n": "=$var.doc['$set'].n", "made": "=$var.made" }"""));

        Assert.Equal(
            """{"id":"a1","n":1,"made":{"update":{"$set":{"n":2},"$inc":{"seen":1}},"schema":["draft","s","#/defs"],"optional":null}}""",
            output!.ToJsonString());
    }

    [Theory]
    [InlineData("=$vars.x")]
    [InlineData("=({ $nope })")]
    [InlineData("=({ [$nope]: 1 })")]
    [InlineData("=$var[$nope]")]
    [InlineData("=(($x) => $x)(1)")]
    public void Dollar_names_in_binding_position_are_still_reported(string expression)
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc($$"""[ { "var": "x", "value": 1 }, { "var": "y", "value": "{{expression}}" } ]"""));
        Assert.Contains(result.Problems, p => p.Path == "$.stack[1].value" && p.Message.Contains("is not a binding", StringComparison.Ordinal));
    }

    [Fact]
    public void Reading_a_variable_through_a_dollar_key_still_counts_as_reading_it()
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc("""[ { "var": "y", "value": "=$var.doc.$id" } ]"""));
        Assert.Contains(result.Problems, p => p.Path == "$.stack[0].value" && p.Message.Contains("'doc'", StringComparison.Ordinal));
    }
}
