using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Every limit fails the execution with its code, cannot be caught, and leaves the next run healthy.</summary>
public sealed class LimitTests
{
    [Fact]
    public Task Js_timeout() =>
        LimitAssert.FailsWith("limit.js_timeout", """[ { "lambda": "while (true) { }" } ]""", l => l.JsTimeout = TimeSpan.FromMilliseconds(200));

    [Fact]
    public Task Js_timeout_of_a_runaway_regular_expression() =>
        LimitAssert.FailsWith("limit.js_timeout", """[ { "lambda": "return /^(a+)+$/.test('a'.repeat(40) + 'b');" } ]""", l => l.JsTimeout = TimeSpan.FromMilliseconds(300));

    [Fact]
    public async Task Javascript_sees_no_host()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc("[]",
            """{ "clr": "=typeof importNamespace", "system": "=typeof System", "require": "=typeof require", "fetch": "=typeof fetch", "process": "=typeof process" }"""));
        Assert.Equal("""{"clr":"undefined","system":"undefined","require":"undefined","fetch":"undefined","process":"undefined"}""", output!.ToJsonString());
    }

    [Fact]
    public Task Js_memory() =>
        LimitAssert.FailsWith("limit.js_memory", """[ { "lambda": "const a = []; while (true) { a.push('x'.repeat(1000) + a.length); }" } ]""",
            l => (l.JsMemoryBytes, l.JsTimeout) = (8 * 1024 * 1024, TimeSpan.FromSeconds(60)));

    [Fact]
    public Task Js_recursion() =>
        LimitAssert.FailsWith("limit.js_recursion", """[ { "lambda": "const f = n => f(n + 1) + 1; return f(0);" } ]""", l => l.JsRecursion = 50);

    [Fact]
    public Task Steps() =>
        LimitAssert.FailsWith("limit.steps", """[ { "var": "n", "value": 0 }, { "for": 50, "do": [ { "set": "n", "op": "increment", "value": 1 } ] } ]""", l => l.Steps = 20);

    [Fact]
    public Task Loop_count() =>
        LimitAssert.FailsWith("limit.loop", """[ { "for": 11, "do": [] } ]""", l => l.LoopIterations = 10);

    [Fact]
    public Task Foreach_length() =>
        LimitAssert.FailsWith("limit.loop", """[ { "foreach": "=Array.from({ length: 11 }, (_, i) => i)", "item": "x", "do": [] } ]""", l => l.LoopIterations = 10);

    [Fact]
    public Task While_cap() =>
        LimitAssert.FailsWith("limit.loop", """[ { "while": true, "do": [] } ]""", l => l.LoopIterations = 25);

    [Fact]
    public Task Variable_size() =>
        LimitAssert.FailsWith("limit.variable_size", """[ { "var": "big", "value": "='x'.repeat(2000)" } ]""", l => l.VariableBytes = 1000);

    [Fact]
    public Task Variable_size_of_nested_updates() =>
        LimitAssert.FailsWith("limit.variable_size", """[ { "var": "list", "value": [] }, { "for": 100, "do": [ { "set": "list", "op": "push", "value": "xxxxxxxxxxxxxxxxxxxx" } ] } ]""",
            l => l.VariableBytes = 1000);

    [Fact]
    public Task Output_size() =>
        LimitAssert.FailsWith("limit.output_size", """[ { "var": "a", "value": "='x'.repeat(600)" }, { "var": "b", "value": "='y'.repeat(600)" } ]""",
            l => (l.VariableBytes, l.OutputBytes) = (1000, 1000), "[\"=$var.a\", \"=$var.b\"]");

    [Fact]
    public Task State_size_counts_all_variables_together() =>
        LimitAssert.FailsWith("limit.state_size", """[ { "var": "a", "value": "='x'.repeat(600)" }, { "var": "b", "value": "='y'.repeat(600)" } ]""",
            l => (l.VariableBytes, l.StateBytes) = (1000, 1000));

    [Fact]
    public async Task A_removed_variable_gives_back_its_share_of_the_state()
    {
        var stacks = new Stacks(o => (o.Limits.VariableBytes, o.Limits.StateBytes) = (1000, 1000));
        var output = await stacks.RunAsync(Stacks.Doc(
            """[ { "var": "a", "value": "='x'.repeat(600)" }, { "set": "a", "op": "remove" }, { "var": "b", "value": "='y'.repeat(600)" } ]""",
            "\"=$var.b.length\""));
        Assert.Equal(600, output!.GetValue<int>());
    }

    [Fact]
    public Task Js_total_time_over_many_short_scripts() =>
        LimitAssert.FailsWith("limit.js_total_time", """[ { "for": 20, "do": [ { "lambda": "const end = Date.now() + 100; while (Date.now() < end) { }" } ] } ]""",
            l => (l.JsTimeout, l.JsTotalTime) = (TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250)));

    [Fact]
    public async Task Log_size()
    {
        await LimitAssert.FailsWith("limit.log_size", """[ { "for": 3, "do": [ { "log": "='x'.repeat(400)" } ] } ]""", l => l.LogBytes = 1000);

        var stacks = new Stacks(o => o.Limits.LogBytes = 1000);
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(
            """[ { "log": "small", "data": "=({ blob: 'x'.repeat(2000) })" } ]""")));
        Assert.Equal("limit.log_size", ex.Code);
    }

    [Fact]
    public async Task Async_calls()
    {
        var stacks = new Stacks(o => o.Limits.AsyncCalls = 3);
        stacks.Executions.Add("noop", _ => null);
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(
            """[ { "try": [ { "for": 5, "do": [ { "call": "noop", "async": true } ] } ], "catch": [ { "return": "caught" } ] } ]""")));
        Assert.Equal("limit.async_calls", ex.Code);
        Assert.Equal(3, stacks.Executions.Started.Count);
    }

    [Fact]
    public Task A_computed_loop_count_beyond_every_integer_is_the_loop_limit() =>
        LimitAssert.FailsWith("limit.loop", """[ { "for": "=1e20", "do": [] } ]""", _ => { });

    [Fact]
    public async Task Defaults_are_safe()
    {
        var limits = new StackLimitOptions();
        Assert.InRange(limits.JsTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Assert.InRange(limits.JsMemoryBytes, 1, 512L * 1024 * 1024);
        Assert.InRange(limits.JsRecursion, 1, 10_000);
        Assert.InRange(limits.Steps, 1, 10_000_000);
        Assert.InRange(limits.LoopIterations, 1, 1_000_000);
        Assert.InRange(limits.StateBytes, limits.VariableBytes, 256L * 1024 * 1024);
        Assert.InRange(limits.JsTotalTime, limits.JsTimeout, TimeSpan.FromMinutes(10));
        Assert.InRange(limits.LogBytes, 1, 64L * 1024 * 1024);
        Assert.InRange(limits.AsyncCalls, 1, 100_000);

        var stacks = new Stacks();
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc("""[ { "while": true, "do": [] } ]""")));
        Assert.Equal("limit.loop", ex.Code);
    }
}
