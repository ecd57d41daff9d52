using System.Text.Json;
using AsyncFunctions.FlowControl;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>The top-level <c>debounce</c> of a function document and its key, evaluated through the function's descriptor.</summary>
public sealed class DebounceDocumentTests
{
    private static FunctionDescriptor Describe(string json) => StackFunctionDescriptor.Create(Stacks.Compile(json), new Stacks().Services);

    [Fact]
    public async Task A_document_may_debounce_per_key_and_the_key_reads_input_and_auth()
    {
        var function = Describe("""{ "name": "folded", "debounce": { "periodSeconds": 5, "key": "=$input.customer + '/' + $auth.role" }, "stack": [] }""");

        var rule = Assert.IsType<DebounceRule>(function.Flow.Debounce);
        Assert.Equal(5, rule.PeriodSeconds);
        var input = JsonSerializer.SerializeToElement(new { customer = "acme" });
        var key = await rule.Key!.EvaluateAsync(new FlowKeyContext("folded", input, new Executions.ExecutionCaller("ops", "invoker")), CancellationToken.None);
        Assert.Equal("acme/invoker", key);
    }

    [Fact]
    public void A_debounce_without_a_key_folds_every_start()
    {
        var rule = Describe("""{ "name": "folded_all", "debounce": { "periodSeconds": 1 }, "stack": [] }""").Flow.Debounce;

        Assert.Null(Assert.IsType<DebounceRule>(rule).Key);
    }

    [Fact]
    public void Debounce_and_limit_keys_are_one_kind_of_key()
    {
        var flow = Describe("""
            { "name": "one_key_kind", "debounce": { "periodSeconds": 1, "key": "=$input.customer" },
              "concurrency": { "limit": 1, "key": "=$input.customer" }, "rateLimit": { "limit": 1, "periodSeconds": 1, "key": "=$input.customer" }, "stack": [] }
            """).Flow;

        var type = flow.Concurrency[0].Key!.GetType();
        Assert.Equal(type, flow.Debounce!.Key!.GetType());
        Assert.Equal(type, flow.RateLimit!.Key!.GetType());
    }

    [Fact]
    public async Task A_debounce_key_may_call_built_ins_like_a_limit_key()
    {
        var rule = Describe("""{ "name": "folded_call", "debounce": { "periodSeconds": 1, "key": "=$input.items.map(i => i.id).join('+')" }, "stack": [] }""").Flow.Debounce!;

        var input = new JsonObject { ["items"] = new JsonArray(new JsonObject { ["id"] = "a" }, new JsonObject { ["id"] = "b" }) };
        Assert.Equal("a+b", await DebounceKeys.EvaluateAsync("folded_call", rule, input, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_debounce_key_that_fails_to_evaluate_refuses_the_start_naming_the_input()
    {
        var rule = Describe("""{ "name": "folded_bad", "debounce": { "periodSeconds": 1, "key": "=$input.customer.id.length" }, "stack": [] }""").Flow.Debounce!;

        var refused = await Assert.ThrowsAsync<StartRefusedException>(async () =>
            await DebounceKeys.EvaluateAsync("folded_bad", rule, new JsonObject { ["other"] = 1 }, null, CancellationToken.None));

        Assert.Equal("input", refused.Field);
        Assert.StartsWith("function 'folded_bad': debounce.key failed to evaluate =$input.customer.id.length for this input: ", refused.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "periodSeconds": 0 }""", "$.debounce.periodSeconds", "must be a whole number of seconds from 1 to 86400")]
    [InlineData("""{ "periodSeconds": 1.5 }""", "$.debounce.periodSeconds", "must be a whole number of seconds from 1 to 86400")]
    [InlineData("""{ "periodSeconds": 2, "key": "customer" }""", "$.debounce.key", "must be an expression text starting with '=', e.g. \"=$input.customerId\"")]
    [InlineData("""{ "periodSeconds": 2, "key": "=$var.x" }""", "$.debounce.key", "a key is computed when the execution starts, before any step: it may read only $input and $auth")]
    [InlineData("""{ "periodSeconds": 2, "every": 3 }""", "$.debounce.every", "unknown field 'every' for debounce; allowed: periodSeconds, key")]
    [InlineData("\"5s\"", "$.debounce", "must be an object { \"periodSeconds\": S, \"key\": \"=...\" }, not a text")]
    public void An_invalid_debounce_is_a_problem_at_its_path(string value, string path, string message)
    {
        var result = FunctionDocumentCompiler.Compile(System.Text.Json.Nodes.JsonNode.Parse($$"""{ "name": "bad_debounce", "debounce": {{value}}, "stack": [] }"""));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, message), (problem.Path, problem.Message));
    }
}
