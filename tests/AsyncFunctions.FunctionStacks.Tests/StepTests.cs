using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class StepTests
{
    private readonly Stacks _stacks = new();

    private Task<JsonNode?> Run(string steps, string response, JsonObject? input = null, string inputs = "[]") =>
        _stacks.RunAsync(Stacks.Doc(steps, response, inputs), input);

    [Fact]
    public async Task Var_creates_a_variable_from_an_expression()
    {
        var output = await Run("""[ { "var": "x", "value": "=1 + 2" }, { "var": "y", "value": "=$var.x * 10" } ]""", "\"=$var.y\"");
        Assert.Equal(30, output!.GetValue<int>());
    }

    [Fact]
    public async Task Set_updates_nested_paths_and_supports_push_increment_and_remove()
    {
        var output = await Run(
            """
            [
              { "var": "user", "value": { "name": "ann", "address": { "city": "Oslo" }, "items": [ { "name": "a" } ], "tmp": 1 } },
              { "set": "user.address.city", "value": "Bergen" },
              { "set": "user.items[0].name", "value": "=$var.user.name.toUpperCase()" },
              { "set": "user.items", "op": "push", "value": { "name": "b" } },
              { "set": "user.visits", "op": "increment", "value": 2 },
              { "set": "user.visits", "op": "increment", "value": 3 },
              { "set": "user.created.by", "value": "me" },
              { "set": "user.tmp", "op": "remove" }
            ]
            """,
            "\"=$var.user\"");

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{ "name": "ann", "address": { "city": "Bergen" }, "items": [ { "name": "ANN" }, { "name": "b" } ], "visits": 5, "created": { "by": "me" } }"""),
            output), output?.ToJsonString());
    }

    [Fact]
    public async Task Set_outside_an_array_raises_a_catchable_path_error()
    {
        var output = await Run(
            """
            [
              { "var": "list", "value": [1] },
              { "try": [ { "set": "list[5]", "value": 1 } ], "catch": [ { "var": "code", "value": "=$var.error.code" } ] }
            ]
            """,
            "\"=$var.code\"");
        Assert.Equal("var.path", output!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_update_leaves_the_variable_as_it_was()
    {
        var output = await Run(
            """
            [
              { "var": "doc", "value": { "tags": "not a list", "n": "x", "items": [ { "a": 1 } ] } },
              { "try": [ { "set": "doc.tags", "op": "push", "value": 1 } ], "catch": [] },
              { "try": [ { "set": "doc.n", "op": "increment", "value": 1 } ], "catch": [] },
              { "try": [ { "set": "doc.items[0].a.b", "value": 1 } ], "catch": [] },
              { "set": "doc[\"odd key\"]", "value": "=$var.doc.items.length" }
            ]
            """,
            "\"=$var.doc\"");
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{ "tags": "not a list", "n": "x", "items": [ { "a": 1 } ], "odd key": 1 }"""), output), output?.ToJsonString());
    }

    [Theory]
    [InlineData(5, "small")]
    [InlineData(50, "medium")]
    [InlineData(500, "large")]
    public async Task If_elseIf_else_picks_the_first_true_branch(int n, string expected)
    {
        var output = await Run(
            """
            [
              { "var": "size", "value": null },
              { "if": "=$input.n < 10", "then": [ { "set": "size", "value": "small" } ],
                "elseIf": [ { "if": "=$input.n < 100", "then": [ { "set": "size", "value": "medium" } ] } ],
                "else": [ { "set": "size", "value": "large" } ] }
            ]
            """,
            "\"=$var.size\"",
            new JsonObject { ["n"] = n });
        Assert.Equal(expected, output!.GetValue<string>());
    }

    [Theory]
    [InlineData("a", "first")]
    [InlineData("b", "second")]
    [InlineData("zzz", "other")]
    public async Task Switch_matches_cases_by_value_with_a_default(string value, string expected)
    {
        var output = await Run(
            """
            [
              { "var": "r", "value": "" },
              { "switch": "=$input.v", "cases": [
                  { "value": "a", "then": [ { "set": "r", "value": "first" } ] },
                  { "value": "=String.fromCharCode(98)", "then": [ { "set": "r", "value": "second" } ] } ],
                "default": [ { "set": "r", "value": "other" } ] }
            ]
            """,
            "\"=$var.r\"",
            new JsonObject { ["v"] = value });
        Assert.Equal(expected, output!.GetValue<string>());
    }

    [Fact]
    public async Task For_runs_count_times_with_an_index()
    {
        var output = await Run(
            """[ { "var": "seen", "value": [] }, { "for": 4, "index": "i", "do": [ { "set": "seen", "op": "push", "value": "=$var.i * 2" } ] } ]""",
            "\"=$var.seen\"");
        Assert.Equal("[0,2,4,6]", output!.ToJsonString());
    }

    [Fact]
    public async Task Foreach_walks_an_array_with_item_and_index()
    {
        var output = await Run(
            """[ { "var": "out", "value": [] }, { "foreach": "=$input.names", "item": "name", "index": "i", "do": [ { "set": "out", "op": "push", "value": "=$var.i + ':' + $var.name" } ] } ]""",
            "\"=$var.out\"",
            new JsonObject { ["names"] = new JsonArray("a", "b") });
        Assert.Equal("""["0:a","1:b"]""", output!.ToJsonString());
    }

    [Fact]
    public async Task While_runs_until_its_condition_is_false()
    {
        var output = await Run(
            """[ { "var": "n", "value": 1 }, { "while": "=$var.n < 100", "do": [ { "set": "n", "value": "=$var.n * 3" } ] } ]""",
            "\"=$var.n\"");
        Assert.Equal(243, output!.GetValue<int>());
    }

    [Fact]
    public async Task The_while_index_counts_iterations_and_its_condition_sees_it()
    {
        var output = await Run(
            """[ { "var": "seen", "value": [] }, { "while": "=$var.round < 3", "index": "round", "do": [ { "set": "seen", "op": "push", "value": "=$var.round" } ] } ]""",
            "\"=$var.seen\"");
        Assert.Equal("[0,1,2]", output!.ToJsonString());
    }

    [Fact]
    public async Task Loops_over_nothing_run_nothing()
    {
        var output = await Run(
            """[ { "var": "n", "value": 0 }, { "for": 0, "do": [ { "set": "n", "value": 1 } ] }, { "foreach": [], "item": "x", "do": [ { "set": "n", "value": 2 } ] }, { "while": false, "do": [ { "set": "n", "value": 3 } ] } ]""",
            "\"=$var.n\"");
        Assert.Equal(0, output!.GetValue<int>());
    }

    [Fact]
    public async Task Break_and_continue_steer_the_nearest_loop()
    {
        var output = await Run(
            """
            [
              { "var": "out", "value": [] },
              { "for": 10, "index": "i", "do": [
                  { "if": "=$var.i % 2 === 1", "then": [ { "continue": true } ] },
                  { "if": "=$var.i >= 6", "then": [ { "break": true } ] },
                  { "set": "out", "op": "push", "value": "=$var.i" } ] }
            ]
            """,
            "\"=$var.out\"");
        Assert.Equal("[0,2,4]", output!.ToJsonString());
    }

    [Fact]
    public async Task Lambda_runs_multi_line_code_with_the_bindings()
    {
        var stacks = new Stacks(o => o.Env["REGION"] = "eu");
        var output = await stacks.RunAsync(Stacks.Doc(
            """
            [
              { "var": "base", "value": 10 },
              { "lambda": "const xs = $input.xs.map(x => x + $var.base);\nreturn { xs, region: $env.REGION, auth: $auth };", "as": "r" }
            ]
            """,
            "\"=$var.r\""), new JsonObject { ["xs"] = new JsonArray(1, 2) });
        Assert.Equal("""{"xs":[11,12],"region":"eu","auth":{}}""", output!.ToJsonString());
    }

    [Fact]
    public async Task Lambdas_cannot_change_the_input_or_keep_changes_to_variables()
    {
        var output = await Run(
            """
            [
              { "var": "list", "value": [1] },
              { "lambda": "$var.list.push(2); try { $input.x = 5; } catch (e) { } return $input.x;", "as": "x" }
            ]
            """,
            "{ \"x\": \"=$var.x\", \"list\": \"=$var.list\" }",
            new JsonObject { ["x"] = 1 });
        Assert.Equal("""{"x":1,"list":[1]}""", output!.ToJsonString());
    }

    [Fact]
    public async Task Throw_fails_the_execution_with_its_code_message_and_data()
    {
        var ex = await Assert.ThrowsAsync<Runtime.StackErrorException>(() =>
            Run("""[ { "throw": "order.missing", "message": "=`no order ${$input.id}`", "data": { "id": "=$input.id" } } ]""", "null", new JsonObject { ["id"] = 7 }));
        Assert.Equal("order.missing", ex.Code);
        Assert.Equal("no order 7", ex.Message);
        Assert.Equal("""{"id":7}""", ex.Details!.ToJsonString());
        Assert.IsAssignableFrom<FunctionException>(ex);
    }

    [Fact]
    public async Task Precondition_raises_its_code_only_when_false()
    {
        Assert.Equal("ok", (await Run("""[ { "precondition": "=$input.n > 0", "code": "n.small" } ]""", "\"ok\"", new JsonObject { ["n"] = 1 }))!.GetValue<string>());
        var ex = await Assert.ThrowsAsync<Runtime.StackErrorException>(() =>
            Run("""[ { "precondition": "=$input.n > 0", "code": "n.small", "message": "n must be positive" } ]""", "null", new JsonObject { ["n"] = 0 }));
        Assert.Equal(("n.small", "n must be positive"), (ex.Code, ex.Message));

        var defaulted = await Assert.ThrowsAsync<Runtime.StackErrorException>(() => Run("""[ { "precondition": false } ]""", "null"));
        Assert.Equal("precondition.failed", defaulted.Code);
    }

    [Fact]
    public async Task Return_ends_the_stack_with_its_value_even_inside_loops()
    {
        var output = await Run(
            """[ { "for": 100, "index": "i", "do": [ { "if": "=$var.i === 3", "then": [ { "return": { "stopped": "=$var.i" } } ] } ] }, { "throw": "not.reached" } ]""",
            "\"never\"");
        Assert.Equal("""{"stopped":3}""", output!.ToJsonString());
    }

    [Fact]
    public async Task Sleep_waits_and_honours_cancellation()
    {
        Assert.Equal(1, (await Run("""[ { "sleep": 5 } ]""", "1"))!.GetValue<int>());

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _stacks.RunAsync(Stacks.Doc("""[ { "sleep": 600000 } ]"""), null, cts.Token));
    }

    [Fact]
    public async Task Log_writes_entries_with_the_execution_id()
    {
        await Run("""[ { "log": "=`hello ${$input.who}`", "level": "warning", "data": { "n": 1 } }, { "log": "plain" } ]""", "null", new JsonObject { ["who"] = "bob" });
        var entries = await _stacks.Logs.ListAsync("root");
        Assert.Equal(2, entries.Count);
        Assert.Equal(("warning", "hello bob", """{"n":1}"""), (entries[0].Level, entries[0].Message, entries[0].Data!.ToJsonString()));
        Assert.Equal(("info", "plain"), (entries[1].Level, entries[1].Message));
    }

    [Fact]
    public async Task A_stack_without_response_yields_null()
    {
        var function = Stacks.Compile("""{ "name": "quiet", "stack": [ { "var": "x", "value": 1 } ] }""");
        Assert.Null(await _stacks.RunAsync(function));
    }
}
