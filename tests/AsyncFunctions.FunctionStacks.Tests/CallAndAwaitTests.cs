using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class CallAndAwaitTests
{
    private readonly Stacks _stacks = new();

    public CallAndAwaitTests()
    {
        _stacks.Executions.Add("double", input => input!["n"]!.GetValue<int>() * 2);
        _stacks.Executions.Add("fail", input => throw new FunctionException("child.broke", "child failed", new JsonObject { ["n"] = input!["n"]?.DeepClone() }));
    }

    [Fact]
    public async Task A_sync_call_yields_the_output()
    {
        var output = await _stacks.RunAsync(Stacks.Doc("""[ { "call": "double", "input": { "n": "=$input.n" }, "as": "r" } ]""", "\"=$var.r\""), new() { ["n"] = 21 });
        Assert.Equal(42, output!.GetValue<int>());
        Assert.Empty(_stacks.Executions.Started);
    }

    [Fact]
    public async Task A_failed_sync_call_is_catchable_with_the_child_code()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """[ { "try": [ { "call": "fail", "input": { "n": 1 } } ], "catch": [ { "var": "e", "value": "=$var.error" } ] } ]""", "\"=$var.e\""));
        Assert.Equal("child.broke", output!["code"]!.GetValue<string>());
        Assert.Equal("child failed", output["message"]!.GetValue<string>());
        Assert.Equal(1, output["data"]!["n"]!.GetValue<int>());
    }

    [Fact]
    public async Task Calling_an_unknown_function_is_catchable()
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => _stacks.RunAsync(Stacks.Doc("""[ { "call": "=`nope`" } ]""")));
        Assert.Equal("function.unknown", ex.Code);
    }

    [Fact]
    public async Task Async_calls_yield_ids_and_await_yields_outputs_in_order()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [
              { "var": "ids", "value": [] },
              { "foreach": "=$input.ns", "item": "n", "do": [
                  { "call": "double", "input": { "n": "=$var.n" }, "async": true, "as": "id" },
                  { "set": "ids", "op": "push", "value": "=$var.id" } ] },
              { "await": "=$var.ids", "timeoutSeconds": 10, "as": "outputs" }
            ]
            """,
            """{ "ids": "=$var.ids", "outputs": "=$var.outputs" }"""), new() { ["ns"] = new JsonArray(3, 1, 2) });

        Assert.Equal("[6,2,4]", output!["outputs"]!.ToJsonString());
        Assert.Equal(3, _stacks.Executions.Started.Count);
        Assert.All(_stacks.Executions.Started, s => Assert.Equal(("root", 1), (s.ParentId, s.CallDepth)));
        Assert.All(output["ids"]!.AsArray(), id => Assert.StartsWith("exec-", id!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Await_of_one_id_yields_one_output()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """[ { "call": "double", "input": { "n": 5 }, "async": true, "as": "id" }, { "await": "=$var.id", "as": "r" } ]""", "\"=$var.r\""));
        Assert.Equal(10, output!.GetValue<int>());
    }

    [Fact]
    public async Task Await_raises_await_failed_naming_the_failed_ids()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [
              { "call": "double", "input": { "n": 1 }, "async": true, "as": "a" },
              { "call": "fail", "input": { "n": 2 }, "async": true, "as": "b" },
              { "try": [ { "await": ["=$var.a", "=$var.b"] } ], "catch": [ { "var": "e", "value": "=$var.error" } ] }
            ]
            """,
            """{ "e": "=$var.e", "b": "=$var.b" }"""));

        var error = output!["e"]!;
        var failedId = output["b"]!.GetValue<string>();
        Assert.Equal("await.failed", error["code"]!.GetValue<string>());
        Assert.Contains(failedId, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("child.broke", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var failed = Assert.Single(error["data"]!["failed"]!.AsArray())!;
        Assert.Equal((failedId, "Failed", "child.broke"), (failed["id"]!.GetValue<string>(), failed["status"]!.GetValue<string>(), failed["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Settled_await_yields_every_result_and_never_raises_for_children()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [
              { "call": "double", "input": { "n": 1 }, "async": true, "as": "a" },
              { "call": "fail", "input": { "n": 2 }, "async": true, "as": "b" },
              { "await": ["=$var.a", "=$var.b"], "settled": true, "as": "all" }
            ]
            """,
            "\"=$var.all\""));

        var all = output!.AsArray();
        Assert.Equal(("Succeeded", 2), (all[0]!["status"]!.GetValue<string>(), all[0]!["output"]!.GetValue<int>()));
        Assert.Null(all[0]!["error"]);
        Assert.Equal(("Failed", "child.broke"), (all[1]!["status"]!.GetValue<string>(), all[1]!["error"]!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Await_timeout_lists_the_pending_ids_and_is_catchable()
    {
        _stacks.Executions.Held.Add("double");
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [
              { "call": "double", "input": { "n": 1 }, "async": true, "as": "a" },
              { "try": [ { "await": ["=$var.a"], "timeoutSeconds": 0 } ], "catch": [ { "var": "e", "value": "=$var.error" } ] }
            ]
            """,
            """{ "e": "=$var.e", "a": "=$var.a" }"""));

        Assert.Equal("await.timeout", output!["e"]!["code"]!.GetValue<string>());
        Assert.Equal(output["a"]!.GetValue<string>(), output["e"]!["data"]!["pending"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Awaiting_unknown_ids_is_catchable()
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => _stacks.RunAsync(Stacks.Doc("""[ { "await": ["nope"] } ]""")));
        Assert.Equal("await.unknown_ids", ex.Code);
    }

    [Fact]
    public async Task Stacks_call_stacks()
    {
        _stacks.AddStack("""{ "name": "inner", "inputs": [ { "name": "x", "type": "int", "required": true } ], "stack": [], "response": "=$input.x + 1" }""");
        var output = await _stacks.RunAsync(Stacks.Doc("""[ { "call": "inner", "input": { "x": 1 }, "as": "r" } ]""", "\"=$var.r\""));
        Assert.Equal(2, output!.GetValue<int>());

        var ex = await Assert.ThrowsAsync<StackErrorException>(() => _stacks.RunAsync(Stacks.Doc("""[ { "call": "inner", "input": { "x": "one" } } ]""")));
        Assert.Equal(ExecutionErrorCodes.InvalidInput, ex.Code);
    }
}
