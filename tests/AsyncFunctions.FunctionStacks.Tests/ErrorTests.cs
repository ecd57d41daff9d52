using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class ErrorTests
{
    private readonly Stacks _stacks = new();

    private Task<JsonNode?> Run(string steps, string response) => _stacks.RunAsync(Stacks.Doc(steps, response));

    [Fact]
    public async Task Catch_gets_the_error_and_finally_always_runs()
    {
        var output = await Run(
            """
            [
              { "var": "trace", "value": [] },
              { "try": [
                  { "set": "trace", "op": "push", "value": "try" },
                  { "throw": "boom", "message": "it broke", "data": { "n": 1 } },
                  { "set": "trace", "op": "push", "value": "not reached" } ],
                "catch": [ { "set": "trace", "op": "push", "value": "=$var.error" } ],
                "finally": [ { "set": "trace", "op": "push", "value": "finally" } ] }
            ]
            """,
            "\"=$var.trace\"");
        Assert.Equal("""["try",{"code":"boom","message":"it broke","data":{"n":1}},"finally"]""", output!.ToJsonString());
    }

    [Fact]
    public async Task An_error_without_catch_runs_finally_and_keeps_going_out()
    {
        var output = await Run(
            """
            [
              { "var": "trace", "value": [] },
              { "try": [
                  { "try": [ { "throw": "inner" } ], "finally": [ { "set": "trace", "op": "push", "value": "inner finally" } ] } ],
                "error": "e",
                "catch": [ { "set": "trace", "op": "push", "value": "=$var.e.code" } ] }
            ]
            """,
            "\"=$var.trace\"");
        Assert.Equal("""["inner finally","inner"]""", output!.ToJsonString());
    }

    [Fact]
    public async Task An_error_in_catch_runs_finally_then_fails_the_execution()
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => Run(
            """
            [
              { "try": [ { "throw": "first" } ],
                "catch": [ { "throw": "second", "message": "=`after ${$var.error.code}`" } ],
                "finally": [ { "log": "cleanup" } ] }
            ]
            """,
            "null"));
        Assert.Equal(("second", "after first"), (ex.Code, ex.Message));
        Assert.Equal("cleanup", Assert.Single(await _stacks.Logs.ListAsync("root")).Message);
    }

    [Fact]
    public async Task Return_and_break_run_finally_blocks_on_their_way_out()
    {
        var output = await Run(
            """
            [
              { "var": "trace", "value": [] },
              { "for": 5, "index": "i", "do": [
                  { "try": [ { "if": "=$var.i === 1", "then": [ { "break": true } ] } ],
                    "finally": [ { "set": "trace", "op": "push", "value": "=`f${$var.i}`" } ] } ] },
              { "try": [ { "return": "=$var.trace" } ], "finally": [ { "set": "trace", "op": "push", "value": "late" } ] }
            ]
            """,
            "\"never\"");
        Assert.Equal("""["f0","f1"]""", output!.ToJsonString());
    }

    [Fact]
    public async Task Javascript_errors_are_catchable_as_js_error()
    {
        var output = await Run(
            """[ { "try": [ { "var": "x", "value": "=null.field" } ], "catch": [ { "var": "code", "value": "=$var.error.code" } ] } ]""",
            "\"=$var.code\"");
        Assert.Equal("js.error", output!.GetValue<string>());
    }

    [Fact]
    public async Task A_lambda_can_throw_a_coded_error()
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => Run(
            """[ { "lambda": "throw { code: 'user.invalid', message: 'bad user', data: { field: 'email' } };" } ]""", "null"));
        Assert.Equal(("user.invalid", "bad user", """{"field":"email"}"""), (ex.Code, ex.Message, ex.Details!.ToJsonString()));
    }

    [Fact]
    public async Task Type_errors_of_steps_are_catchable()
    {
        var output = await Run(
            """[ { "try": [ { "foreach": "=42", "item": "x", "do": [] } ], "catch": [ { "var": "code", "value": "=$var.error.code" } ] } ]""",
            "\"=$var.code\"");
        Assert.Equal("value.type", output!.GetValue<string>());
    }
}
