using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;
using static AsyncFunctions.FunctionStacks.Tests.JavaScriptStackTests;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Each evaluation starts in a clean realm, and a value that JSON cannot hold is an error naming its place.</summary>
public sealed class SandboxTests
{
    private readonly Stacks _stacks = new();

    [Fact]
    public async Task A_prototype_changed_by_one_step_is_not_seen_by_the_next()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [ { "lambda": "Object.prototype.polluted = 1; globalThis.left = 2; return 1;" },
              { "lambda": "return [({}).polluted === undefined, typeof left];", "as": "r" } ]
            """, "\"=$var.r\""));
        Assert.Equal("""[true,"undefined"]""", output!.ToJsonString());
    }

    [Fact]
    public async Task A_tojson_getter_left_on_object_prototype_does_not_stall_the_next_step()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """
            [ { "lambda": "Object.defineProperty(Object.prototype, 'toJSON', { get() { for (;;) { } } }); return 1;" },
              { "lambda": "return { a: 1 };", "as": "r" } ]
            """, "\"=$var.r\""));
        Assert.Equal("""{"a":1}""", output!.ToJsonString());
    }

    [Theory]
    [InlineData("return new Promise(() => { });", "$.stack[0].lambda", "Promise that never settles")]
    [InlineData("return { a: [1, function* () { }()] };", "$.stack[0].lambda.a[1]", "generator")]
    [InlineData("return { s: Symbol('x') };", "$.stack[0].lambda.s", "Symbol")]
    [InlineData("return { f() { } };", "$.stack[0].lambda.f", "function")]
    [InlineData("return { when: new Date(NaN) };", "$.stack[0].lambda.when", "invalid Date")]
    [InlineData("return { m: new Map([[1, 2]]) };", "$.stack[0].lambda.m", "Map")]
    public async Task A_value_json_cannot_hold_is_a_js_result_error_naming_its_place(string code, string place, string what)
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => _stacks.RunAsync(Stacks.Doc(Lambda(code, "r"))));
        Assert.Equal("js.result", ex.Error.Code);
        Assert.Contains(place, ex.Message, StringComparison.Ordinal);
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_js_result_error_can_be_caught_like_a_throw()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(
            """[ { "try": [ { "lambda": "return () => 1;" } ], "error": "e", "catch": [ { "return": "=$var.e.code" } ] } ]"""));
        Assert.Equal("js.result", output!.GetValue<string>());
    }

    [Fact]
    public async Task A_promise_is_awaited_and_a_rejection_is_a_js_error()
    {
        var output = await _stacks.RunAsync(Stacks.Doc(Lambda("return Promise.resolve(20).then(x => ({ x: x + 1 }));", "r"), "\"=$var.r\""));
        Assert.Equal("""{"x":21}""", output!.ToJsonString());

        var ex = await Assert.ThrowsAsync<StackErrorException>(() => _stacks.RunAsync(Stacks.Doc(Lambda("return Promise.reject({ code: 'app.nope', message: 'no' });"))));
        Assert.Equal("app.nope", ex.Error.Code);
    }

    [Fact]
    public void Expressions_that_only_read_their_bindings_run_in_process_and_the_rest_in_a_sandbox()
    {
        string[] inProcess = ["$input.a * 2 + $var.b.length", "$var.total > 10 && !$var.done", "`order-${$input.a}`", "$var.x ?? null", "{ id: $var.id, n: $var.n - 1 }", "$var.items[$var.i]?.name", "$var.a + $var.b"];
        string[] sandboxed = ["$var.s.repeat(2)", "Math.random()", "[...$var.s]", "(() => 1)()", "new Date()", "$var.x = 1",
            "`" + string.Concat(Enumerable.Repeat("${$var.s}", Compiling.PlainExpression.MaxCopies + 1)) + "`"];
        AssertWhereTheyRun(inProcess, sandboxed);
    }

    [Fact]
    public void Calls_of_built_ins_with_a_bounded_result_run_in_process_and_other_calls_in_a_sandbox()
    {
        string[] inProcess = ["$var.b.slice(0, 2).length + $input.a", "$var.s.trim().toUpperCase()", "$var.s?.substring(1, 3)", "$var.xs.at(-1)",
            "$var.s.startsWith('a') && $var.s.endsWith($var.t)", "$var.n.toFixed(2)", "Math.max($var.a, $var.b)", "Math.round($var.n * 100) / 100",
            "Number.isInteger($var.n)", "Array.isArray($var.xs) ? $var.xs.slice(1) : []"];
        string[] sandboxed = ["$var.s.indexOf($var.t)", "$var.s.includes('x')", "$var.xs.join($var.s)", "$var.s.concat($var.s)", "$var.s.split('')",
            "$var.xs.map(x => x)", "$var.s.slice(...$var.xs)", "$var.s[$var.m]()", "$var.s.constructor.constructor('return 1')()", "$var.f()",
            "Math.max(...$var.xs)", "Math.random()", "Object.keys($var.o)", "$var.xs.toString()", "$var.s.slice.call($var.t, 1)",
            "`${$var.s}${$var.s}${$var.s}`.toUpperCase()"];
        AssertWhereTheyRun(inProcess, sandboxed);
    }

    [Fact]
    public async Task Built_in_calls_run_in_process_give_what_they_give_in_a_sandbox()
    {
        const string expression = "[$var.s.trim().toUpperCase(), $var.s.slice(2, 4), $var.n.toFixed(1), Math.max($var.n, 5), Math.min($var.n, 1), $var.xs.at(-1), $var.xs.slice(1), Array.isArray($var.xs), $var.s.trim().startsWith('st')]";
        Assert.True(Compiling.ScriptCompiler.Expression(expression, "$.x", [], new HashSet<string>())!.RunsInProcess);
        var output = await _stacks.RunAsync(Stacks.Doc(
            $$"""
            [ { "var": "s", "value": "  straße  " }, { "var": "n", "value": 2.345 }, { "var": "xs", "value": [3, 1, 2] },
              { "var": "here", "value": "={{expression}}" },
              { "lambda": "return {{expression}};", "as": "there" } ]
            """, "\"=[$var.here, $var.there]\""));
        Assert.Equal(output![1]!.ToJsonString(), output[0]!.ToJsonString());
        Assert.Equal("""["st","2.3",5,1,2,[1,2],true,true]""", new System.Text.Json.Nodes.JsonArray([.. output[0]!.AsArray().Skip(1).Select(n => n?.DeepClone())]).ToJsonString());
    }

    private static void AssertWhereTheyRun(string[] inProcess, string[] sandboxed)
    {
        foreach (var (sources, expected) in new[] { (inProcess, true), (sandboxed, false) })
        {
            foreach (var source in sources)
            {
                var script = Compiling.ScriptCompiler.Expression(source, "$.x", [], new HashSet<string>());
                Assert.True(script is not null, source);
                Assert.True(script.RunsInProcess == expected, $"{source}: runs in process {script.RunsInProcess}");
            }
        }
    }
}
