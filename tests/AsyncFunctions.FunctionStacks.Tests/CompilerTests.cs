using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class CompilerTests
{
    [Fact]
    public void A_valid_document_compiles_with_its_declarations()
    {
        var function = Stacks.Compile(
            """
            { "name": "load_users", "description": "Loads users.",
              "inputs": [ { "name": "ids", "type": "array", "items": { "type": "int", "min": 1 }, "required": true, "maxLength": 50 },
                          { "name": "mode", "type": "text", "enum": ["fast", "full"], "default": "fast" } ],
              "retry": { "maxRetries": 2, "delaySeconds": [1, 5] }, "timeoutSeconds": 60,
              "stack": [ { "var": "ids", "value": "=$input.ids" } ],
              "response": "=$var.ids" }
            """);

        Assert.Equal(("load_users", "Loads users."), (function.Name, function.Description));
        Assert.Equal(2, function.Inputs.Count);
        Assert.Equal(InputType.Array, function.Inputs[0].Type);
        Assert.Equal(InputType.Int, function.Inputs[0].Items!.Type);
        Assert.Equal(1m, function.Inputs[0].Items!.Min);
        Assert.True(function.Inputs[0].Required);
        Assert.Equal("\"fast\"", function.Inputs[1].Default!.ToJsonString());
        Assert.Equal(2, function.Retry.MaxRetries);
        Assert.Equal([1, 5], function.Retry.DelaySeconds);
        Assert.Equal(TimeSpan.FromSeconds(60), function.Timeout);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_json_path()
    {
        var result = FunctionDocumentCompiler.Compile(
            """
            { "name": "bad name!", "extra": 1,
              "inputs": [ { "name": "a", "type": "integer" }, { "name": "a" } ],
              "retry": { "maxRetries": -1 },
              "timeoutSeconds": 0,
              "stack": [
                { "var": "x", "value": "=1 +" },
                { "if": "$var.x > 1", "then": [ { "var": "y", "value": "=$var.nope" } ] },
                { "set": "missing.field", "value": 1 },
                { "for": 3, "do": [ { "vra": "typo" } ] },
                { "break": true },
                { "call": "no_such_fn", "input": {} },
                { "lambda": "return $vars.x;", "as": "z" },
                { "var": "w", "value": 1, "as": "q" },
                { "var": "a", "if": "=true", "then": [] },
                { "query": "select 1" },
                { "request": "ftp://example.com" },
                "oops",
                { "throw": 42 },
                { "precondition": true, "code": "" }
              ],
              "response": "=$var.never" }
            """,
            name => name == "known");

        var problems = result.Problems.Select(p => p.Path).ToList();
        Assert.False(result.Succeeded);
        Assert.Contains("$.name", problems);
        Assert.Contains("$.extra", problems);
        Assert.Contains("$.inputs[0].type", problems);
        Assert.Contains("$.inputs[1].name", problems);
        Assert.Contains("$.retry.maxRetries", problems);
        Assert.Contains("$.timeoutSeconds", problems);
        Assert.Contains("$.stack[0].value", problems);
        Assert.Contains("$.stack[1].if", problems);
        Assert.Contains("$.stack[1].then[0].value", problems);
        Assert.Contains("$.stack[2].set", problems);
        Assert.Contains("$.stack[3].do[0]", problems);
        Assert.Contains("$.stack[4]", problems);
        Assert.Contains("$.stack[5].call", problems);
        Assert.Contains("$.stack[6].lambda", problems);
        Assert.Contains("$.stack[7].as", problems);
        Assert.Contains("$.stack[8]", problems);
        Assert.Contains("$.stack[9].connection", problems);
        Assert.Contains("$.stack[10].request", problems);
        Assert.Contains("$.stack[11]", problems);
        Assert.Contains("$.stack[12].throw", problems);
        Assert.Contains("$.stack[13].code", problems);
        Assert.Contains("$.response", problems);
        Assert.True(result.Problems.Count >= 20, string.Join("\n", result.Problems));
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Fact]
    public void Messages_say_what_is_wrong()
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc("""[ { "var": "x", "value": "=$var.y + 1" } ]"""));
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.stack[0].value", problem.Path);
        Assert.Contains("'y'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_text_is_one_problem_at_the_root()
    {
        var result = FunctionDocumentCompiler.Compile("{ \"name\": ");
        Assert.Equal("$", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Variables_created_by_loops_catch_and_as_count_as_created()
    {
        Stacks.Compile(Stacks.Doc(
            """
            [
              { "foreach": [1, 2], "item": "it", "index": "n", "do": [ { "var": "copy", "value": "=$var.it + $var.n" } ] },
              { "try": [ { "throw": "x" } ], "error": "err", "catch": [ { "var": "c", "value": "=$var.err.code" } ] },
              { "lambda": "return 1;", "as": "one" },
              { "var": "two", "value": "=$var.one + $var.copy + $var.c.length" }
            ]
            """,
            "\"=$var.two\""));
    }

    [Fact]
    public void Unknown_bindings_are_reported()
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc("""[ { "var": "x", "value": "=$inputs.a" } ]"""));
        Assert.Contains("$inputs", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_must_be_an_object_with_a_stack()
    {
        Assert.Equal("$", Assert.Single(FunctionDocumentCompiler.Compile(System.Text.Json.Nodes.JsonNode.Parse("[1]")).Problems).Path);
        Assert.Equal("$.stack", Assert.Single(FunctionDocumentCompiler.Compile("""{ "name": "x" }""").Problems).Path);
    }

    [Fact]
    public void The_compiled_document_is_a_private_copy()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(Stacks.Doc("[]"))!;
        var function = FunctionDocumentCompiler.Compile(document).Function!;
        document["name"] = "changed";
        Assert.Equal("test", function.Document["name"]!.GetValue<string>());
    }
}
