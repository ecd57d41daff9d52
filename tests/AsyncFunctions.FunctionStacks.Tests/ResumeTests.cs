using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// A stack suspends at an await whose ids are not all finished, its state goes through JSON, and a
/// fresh interpreter resumes it. Children are held (left Enqueued) until the test finishes them.
/// </summary>
public sealed class ResumeTests
{
    private const string Document =
        """
        { "name": "fan_out",
          "inputs": [ { "name": "ns", "type": "array", "items": { "type": "int" } } ],
          "stack": [
            { "var": "ids", "value": [] },
            { "var": "trace", "value": [] },
            { "foreach": "=$input.ns", "item": "n", "index": "i", "do": [
                { "call": "double", "input": { "n": "=$var.n" }, "async": true, "as": "id" },
                { "set": "ids", "op": "push", "value": "=$var.id" },
                { "try": [
                    { "await": "=$var.id", "as": "one" },
                    { "if": "=$var.one > 4", "then": [ { "throw": "too.big", "data": "=$var.one" } ] },
                    { "set": "trace", "op": "push", "value": "=$var.one" } ],
                  "catch": [ { "set": "trace", "op": "push", "value": "=$var.error.code" } ],
                  "finally": [ { "set": "trace", "op": "push", "value": "=`done ${$var.i}`" } ] } ] },
            { "await": "=$var.ids", "as": "all" }
          ],
          "response": { "all": "=$var.all", "trace": "=$var.trace" } }
        """;

    [Fact]
    public async Task A_state_saved_at_await_resumes_elsewhere_to_the_same_result()
    {
        var input = new JsonObject { ["ns"] = new JsonArray(1, 5, 2) };

        var straight = new Stacks();
        straight.Executions.Add("double", i => i!["n"]!.GetValue<int>() * 2);
        var expected = await straight.RunAsync(Document, input);

        var stacks = new Stacks();
        stacks.Executions.Add("double", i => i!["n"]!.GetValue<int>() * 2);
        stacks.Executions.Held.Add("double");
        var function = Stacks.Compile(Document);
        var context = stacks.Executions.Context("fan_out", input);
        var state = new StackInterpreter(function, stacks.Services).Start();
        var suspensions = 0;
        StackRunResult result;
        do
        {
            // Every round: a new compile, a new interpreter and a state that went through JSON text.
            var json = state.Serialize();
            var interpreter = new StackInterpreter(Stacks.Compile(Document), stacks.Services);
            result = await interpreter.RunAsync(StackState.Deserialize(json), context, suspendAtAwait: true);
            state = result.State;
            if (!result.Completed)
            {
                suspensions++;
                Assert.NotNull(state.Await);
                FinishHeld(stacks, state.Await.Ids);
            }
        }
        while (!result.Completed);

        // One suspension per child awaited in the loop; the last await finds all three finished and goes on.
        Assert.Equal(3, suspensions);
        Assert.True(JsonNode.DeepEquals(expected, result.Output), result.Output?.ToJsonString());
        Assert.Equal("""{"all":[2,10,4],"trace":[2,"done 0","too.big","done 1",4,"done 2"]}""", result.Output!.ToJsonString());
    }

    [Fact]
    public async Task The_saved_state_is_plain_json_naming_blocks_by_path()
    {
        var stacks = new Stacks();
        stacks.Executions.Add("double", i => i!["n"]!.GetValue<int>() * 2);
        stacks.Executions.Held.Add("double");
        var function = Stacks.Compile(Document);
        var interpreter = new StackInterpreter(function, stacks.Services);
        var result = await interpreter.RunAsync(interpreter.Start(), stacks.Executions.Context("fan_out", new() { ["ns"] = new JsonArray(7) }), suspendAtAwait: true);

        Assert.False(result.Completed);
        var json = JsonNode.Parse(result.State.Serialize())!;
        Assert.Equal("$.stack[2].do[2].try", json["frames"]!.AsArray().Last()!["block"]!.GetValue<string>());
        Assert.Equal("Try", json["frames"]!.AsArray().Last()!["kind"]!.GetValue<string>());
        Assert.Equal("$.stack[2].do[2].try[0]", json["await"]!["step"]!.GetValue<string>());
        Assert.Equal(0, json["frames"]![1]!["iteration"]!.GetValue<int>());

        // The child finishes while the stack is "saved"; resuming picks its output up.
        var id = json["await"]!["ids"]![0]!.GetValue<string>();
        stacks.Executions.Complete(id, 14);
        var done = await interpreter.RunAsync(StackState.Deserialize(json.ToJsonString()), stacks.Executions.Context("fan_out", new() { ["ns"] = new JsonArray(7) }), suspendAtAwait: true);
        Assert.True(done.Completed);
        Assert.Equal("""{"all":[14],"trace":["too.big","done 0"]}""", done.Output!.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "return": "=`early ${$var.k}`" }""", "\"early 1\"")]
    [InlineData("""{ "throw": "later.caught" }""", "\"later.caught\"")]
    public async Task A_return_or_error_held_by_finally_survives_a_suspension(string abrupt, string expected)
    {
        var document = Stacks.Doc(
            $$"""
            [
              { "var": "k", "value": 1 },
              { "try": [
                  { "try": [ {{abrupt}} ],
                    "finally": [ { "call": "double", "input": { "n": 1 }, "async": true, "as": "id" }, { "await": "=$var.id", "as": "r" } ] } ],
                "catch": [ { "return": "=$var.error.code" } ] }
            ]
            """,
            "\"never\"");
        var stacks = new Stacks();
        stacks.Executions.Add("double", i => i!["n"]!.GetValue<int>() * 2);
        stacks.Executions.Held.Add("double");
        var interpreter = new StackInterpreter(Stacks.Compile(document), stacks.Services);
        var first = await interpreter.RunAsync(interpreter.Start(), stacks.Executions.Context("test"), suspendAtAwait: true);
        Assert.False(first.Completed);
        Assert.NotNull(first.State.Frames.Last().Pending);
        FinishHeld(stacks, first.State.Await!.Ids);

        var resumed = await new StackInterpreter(Stacks.Compile(document), stacks.Services)
            .RunAsync(StackState.Deserialize(first.State.Serialize()), stacks.Executions.Context("test"), suspendAtAwait: true);
        Assert.True(resumed.Completed);
        Assert.Equal(expected, resumed.Output!.ToJsonString());
    }

    [Fact]
    public async Task An_await_whose_ids_all_finished_goes_on_without_suspending()
    {
        var stacks = new Stacks();
        stacks.Executions.Add("double", i => i!["n"]!.GetValue<int>() * 2);
        var interpreter = new StackInterpreter(Stacks.Compile(Document), stacks.Services);

        var result = await interpreter.RunAsync(interpreter.Start(), stacks.Executions.Context("fan_out", new() { ["ns"] = new JsonArray(1, 2) }), suspendAtAwait: true);

        Assert.True(result.Completed);
        Assert.Equal("""{"all":[2,4],"trace":[2,"done 0",4,"done 1"]}""", result.Output!.ToJsonString());
    }

    [Fact]
    public async Task A_resumed_await_woken_early_suspends_again_until_its_ids_finish()
    {
        var stacks = new Stacks();
        stacks.Executions.Add("double", i => i!["n"]!.GetValue<int>() * 2);
        stacks.Executions.Held.Add("double");
        var interpreter = new StackInterpreter(Stacks.Compile(Document), stacks.Services);
        var context = stacks.Executions.Context("fan_out", new() { ["ns"] = new JsonArray(3) });
        var first = await interpreter.RunAsync(interpreter.Start(), context, suspendAtAwait: true);

        var early = await interpreter.RunAsync(StackState.Deserialize(first.State.Serialize()), context, suspendAtAwait: true);

        Assert.False(early.Completed);
        Assert.Equal(first.State.Await!.Step, early.State.Await!.Step);
        Assert.Equal(first.State.Await.StartedAt, early.State.Await.StartedAt);
        FinishHeld(stacks, early.State.Await.Ids);
        var done = await interpreter.RunAsync(early.State, context, suspendAtAwait: true);
        Assert.Equal("""{"all":[6],"trace":["too.big","done 0"]}""", done.Output!.ToJsonString());
    }

    private static void FinishHeld(Stacks stacks, IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            var record = stacks.Executions.Get(id);
            if (record.Status == Executions.ExecutionStatus.Enqueued)
            {
                stacks.Executions.Complete(id, record.Input!["n"]!.GetValue<int>() * 2);
            }
        }
    }

    [Fact]
    public async Task A_state_of_another_function_is_refused()
    {
        var stacks = new Stacks();
        var state = new StackInterpreter(Stacks.Compile(Document), stacks.Services).Start();
        var other = new StackInterpreter(Stacks.Compile(Stacks.Doc("[]")), stacks.Services);
        var ex = await Assert.ThrowsAnyAsync<Functions.FunctionException>(() => other.RunAsync(state, stacks.Executions.Context("test")));
        Assert.Equal("stack.bad_state", ex.Code);
    }
}
