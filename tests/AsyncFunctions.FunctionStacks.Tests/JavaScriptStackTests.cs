using System.Text.Json;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>
/// Scripts that would overflow the native stack fail the execution with a limit code. Without the
/// engine's stack guard each of these ends the test process itself (a stack overflow cannot be caught).
/// </summary>
public sealed class JavaScriptStackTests
{
    private const string DeepArray = "let a = []; for (let i = 0; i < 200000; i++) a = [a];";
    private const string DeepObject = "let o = {}; for (let i = 0; i < 200000; i++) o = { o };";

    // Generous time and memory, so that only the depth can stop these scripts.
    private static void Roomy(StackLimitOptions limits) => (limits.JsTimeout, limits.JsMemoryBytes) = (TimeSpan.FromMinutes(2), 1L << 30);

    internal static string Lambda(string code, string? name = null) =>
        $$"""[ { "lambda": {{JsonSerializer.Serialize(code)}}{{(name is null ? "" : $", \"as\": \"{name}\"")}} } ]""";

    [Fact]
    public Task A_proxy_whose_get_trap_reads_itself() =>
        LimitAssert.FailsWith("limit.js_recursion", Lambda("const p = new Proxy({}, { get(t, k, r) { return r[k]; } }); return p.x;"));

    [Fact]
    public Task The_same_proxy_in_an_expression() =>
        LimitAssert.FailsWith("limit.js_recursion", """[ { "var": "x", "value": "=new Proxy({}, { get(t, k, r) { return r[k]; } }).x" } ]""");

    [Fact]
    public Task Flat_of_an_array_nested_200000_deep() =>
        LimitAssert.FailsWith("limit.js_recursion", Lambda(DeepArray + " return a.flat(Infinity).length;"), Roomy);

    [Fact]
    public Task Join_of_an_array_nested_200000_deep() =>
        LimitAssert.FailsWith("limit.js_recursion", Lambda(DeepArray + " return a.join().length;"), Roomy);

    [Fact]
    public Task Stringify_of_an_object_nested_200000_deep() =>
        LimitAssert.FailsWith("limit.js_recursion", Lambda(DeepObject + " return JSON.stringify(o).length;"), Roomy);

    [Fact]
    public Task Returning_an_object_nested_200000_deep() =>
        LimitAssert.FailsWith("limit.js_depth", Lambda(DeepObject + " return o;"), Roomy);

    [Fact]
    public Task Returning_an_object_nested_200000_deep_as_the_response() =>
        LimitAssert.FailsWith("limit.js_depth", Lambda(DeepObject + " return 1;"), Roomy, "\"=(() => { " + DeepObject + " return o; })()\"");

    [Fact]
    public async Task The_guard_holds_on_a_thread_with_a_small_stack()
    {
        var script = Jint.Engine.PrepareScript(AsyncFunctions.Sandbox.ScriptText.Wrap("const p = new Proxy({}, { get(t, k, r) { return r[k]; } }); return p.x;", isLambda: true));
        AsyncFunctions.Sandbox.SandboxResult? result = null;
        var thread = new Thread(() =>
        {
            using var realm = new AsyncFunctions.Sandbox.JsRealm(new AsyncFunctions.Sandbox.SandboxLimits(), guardBuiltIns: true);
            Assert.Null(realm.Bind("{}", "{}", "{}"));
            result = realm.Evaluate(in script, "$.test", "{}");
        }, 256 * 1024);
        thread.Start();
        await Task.Run(thread.Join);
        Assert.Equal("limit.js_recursion", result?.Error?.Code);
    }

    [Fact]
    public async Task A_value_within_the_depth_limit_is_returned_and_one_level_more_is_refused()
    {
        var stacks = new Stacks(o => o.Limits.JsDepth = 10);
        var output = await stacks.RunAsync(Stacks.Doc(Lambda("let a = 1; for (let i = 0; i < 10; i++) a = [a]; return a;", "a"), "\"=$var.a\""));
        Assert.Equal("[[[[[[[[[[1]]]]]]]]]]", output!.ToJsonString());

        await LimitAssert.FailsWith("limit.js_depth", Lambda("let a = 1; for (let i = 0; i < 11; i++) a = [a]; return a;"), l => l.JsDepth = 10);
    }

    [Fact]
    public Task A_variable_grown_past_the_depth_limit_by_a_template_is_refused_when_a_script_reads_it() =>
        LimitAssert.FailsWith("limit.js_depth",
            """[ { "var": "a", "value": "=[[[1]]]" }, { "var": "b", "value": [[["=$var.a"]]] }, { "var": "c", "value": "=$var.b" } ]""",
            l => l.JsDepth = 5);

    [Fact]
    public async Task Javascript_can_catch_the_overflow_itself_and_go_on()
    {
        var output = await new Stacks().RunAsync(Stacks.Doc(
            Lambda("try { return new Proxy({}, { get(t, k, r) { return r[k]; } }).x; } catch (e) { return e instanceof RangeError; }", "r"),
            "\"=$var.r\""));
        Assert.True(output!.GetValue<bool>());
    }
}
