using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// A loop whose body is an async call (and a push of its id) starts all its children in one batch
/// at the first iteration; each iteration still yields its own id at once, and every limit and
/// refusal ends the loop exactly where starting one by one would.
/// </summary>
public sealed class FanOutLoopTests
{
    private const string FanOut = """
        [
          { "var": "ids", "value": [] },
          { "foreach": "=$input.ns", "item": "n", "index": "i", "do": [
              { "call": "double", "input": { "n": "=$var.n", "at": "=$var.i" }, "async": true, "as": "id" },
              { "set": "ids", "op": "push", "value": "=$var.id" } ] },
          { "await": "=$var.ids", "timeoutSeconds": 10, "as": "outputs" }
        ]
        """;

    private static JsonObject Ns(params int[] ns) => new() { ["ns"] = new JsonArray([.. ns.Select(n => JsonValue.Create(n))]) };

    private static Stacks NewStacks(Action<Hosting.FunctionStacksOptions>? configure = null)
    {
        var stacks = new Stacks(configure);
        stacks.Executions.Add("double", input => input!["n"]!.GetValue<int>() * 2);
        stacks.Executions.Add("noop", _ => null);
        return stacks;
    }

    [Fact]
    public async Task A_foreach_of_async_calls_starts_its_children_in_one_batch_with_the_ids_in_iteration_order()
    {
        var stacks = NewStacks();
        var output = await stacks.RunAsync(Stacks.Doc(FanOut, """{ "ids": "=$var.ids", "outputs": "=$var.outputs", "last": "=$var.id" }"""), Ns(3, 1, 2, 5));

        Assert.Equal([4], stacks.Executions.Batches);
        Assert.Equal("[6,2,4,10]", output!["outputs"]!.ToJsonString());
        var started = stacks.Executions.Started;
        Assert.Equal([0, 1, 2, 3], started.Select(s => s.Input!["at"]!.GetValue<int>()));
        Assert.All(started, s => Assert.Equal(("root", 1), (s.ParentId, s.CallDepth)));
        var ids = output["ids"]!.AsArray().Select(i => i!.GetValue<string>()).ToArray();
        Assert.Equal(ids, ids.Distinct());
        Assert.Equal(ids[^1], output["last"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_for_loop_of_bare_async_calls_is_batched_too()
    {
        var stacks = NewStacks();
        await stacks.RunAsync(Stacks.Doc("""[ { "for": 7, "index": "i", "do": [ { "call": "noop", "input": { "i": "=$var.i" }, "async": true } ] } ]"""));
        Assert.Equal([7], stacks.Executions.Batches);
        Assert.Equal(7, stacks.Executions.Started.Count);
    }

    [Fact]
    public async Task A_call_that_reads_what_the_body_writes_starts_one_by_one()
    {
        var stacks = NewStacks();
        var output = await stacks.RunAsync(Stacks.Doc(
            """
            [
              { "var": "ids", "value": [] },
              { "foreach": "=$input.ns", "item": "n", "do": [
                  { "call": "double", "input": { "n": "=$var.ids.length" }, "async": true, "as": "id" },
                  { "set": "ids", "op": "push", "value": "=$var.id" } ] },
              { "await": "=$var.ids", "as": "outputs" }
            ]
            """, "\"=$var.outputs\""), Ns(1, 1, 1));

        Assert.Empty(stacks.Executions.Batches);
        Assert.Equal("[0,2,4]", output!.ToJsonString());
    }

    [Fact]
    public async Task A_body_with_another_step_starts_one_by_one()
    {
        var stacks = NewStacks();
        await stacks.RunAsync(Stacks.Doc(
            """[ { "for": 3, "do": [ { "call": "noop", "async": true, "as": "id" }, { "log": "=$var.id" } ] } ]"""));
        Assert.Empty(stacks.Executions.Batches);
        Assert.Equal(3, stacks.Executions.Started.Count);
    }

    [Fact]
    public async Task The_async_call_limit_stops_the_loop_at_the_same_iteration_as_one_by_one()
    {
        var stacks = NewStacks(o => o.Limits.AsyncCalls = 3);
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(
            """[ { "try": [ { "for": 5, "do": [ { "call": "noop", "async": true } ] } ], "catch": [ { "return": "caught" } ] } ]""")));
        Assert.Equal("limit.async_calls", ex.Code);
        Assert.Empty(stacks.Executions.Batches);
        Assert.Equal(3, stacks.Executions.Started.Count);
    }

    [Fact]
    public async Task The_step_limit_stops_the_loop_at_the_same_iteration_as_one_by_one()
    {
        var stacks = NewStacks(o => o.Limits.Steps = 10);
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(FanOut), Ns(1, 2, 3, 4, 5, 6)));
        Assert.Equal("limit.steps", ex.Code);
        Assert.Empty(stacks.Executions.Batches);
        // var, foreach, then two steps per iteration: the 5th child's call is step 11.
        Assert.Equal(4, stacks.Executions.Started.Count);
    }

    [Fact]
    public async Task An_unknown_function_in_a_later_iteration_fails_there_after_the_earlier_children_started()
    {
        var stacks = NewStacks();
        var output = await stacks.RunAsync(Stacks.Doc(
            """
            [
              { "var": "ids", "value": [] },
              { "try": [
                  { "foreach": "=$input.ns", "item": "n", "do": [
                      { "call": "=$var.n === 3 ? 'nope' : 'double'", "input": { "n": "=$var.n" }, "async": true, "as": "id" },
                      { "set": "ids", "op": "push", "value": "=$var.id" } ] } ],
                "catch": [ { "var": "code", "value": "=$var.error.code" } ] }
            ]
            """, """{ "code": "=$var.code", "started": "=$var.ids.length" }"""), Ns(1, 2, 3, 4));

        Assert.Equal("function.unknown", output!["code"]!.GetValue<string>());
        Assert.Equal(2, output["started"]!.GetValue<int>());
        Assert.Equal(2, stacks.Executions.Started.Count(s => s.Function == "double"));
    }

    [Fact]
    public async Task An_array_too_small_for_every_id_starts_one_by_one_and_fails_where_it_overflows()
    {
        var stacks = NewStacks(o => o.Limits.VariableBytes = 30);
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(FanOut), Ns(1, 2, 3, 4, 5, 6)));
        Assert.Equal("limit.variable_size", ex.Code);
        Assert.Empty(stacks.Executions.Batches);
        // ["exec-1","exec-2","exec-3"] is 28 bytes; the push of the 4th id, after its child started, overflows.
        Assert.Equal(4, stacks.Executions.Started.Count);
    }

    [Fact]
    public async Task A_nested_fan_out_is_batched_per_outer_iteration()
    {
        var stacks = NewStacks();
        await stacks.RunAsync(Stacks.Doc(
            """[ { "for": 3, "do": [ { "for": 4, "index": "j", "do": [ { "call": "noop", "input": { "j": "=$var.j" }, "async": true } ] } ] } ]"""));
        Assert.Equal([4, 4, 4], stacks.Executions.Batches);
        Assert.Equal(12, stacks.Executions.Started.Count);
    }
}
