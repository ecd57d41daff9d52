using System.Text.Json;
using AsyncFunctions.FlowControl;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>The top-level <c>debounce</c> of a function document and its key.</summary>
public sealed class DebounceDocumentTests
{
    [Fact]
    public async Task A_document_may_debounce_per_key_and_the_key_reads_input_and_auth()
    {
        var function = Stacks.Compile("""{ "name": "folded", "debounce": { "periodSeconds": 5, "key": "=$input.customer + '/' + $auth.role" }, "stack": [] }""");

        var rule = Assert.IsType<DebounceRule>(function.Flow.Debounce);
        Assert.Equal(5, rule.PeriodSeconds);
        var input = JsonSerializer.SerializeToElement(new { customer = "acme" });
        var key = await rule.Key!.EvaluateAsync(new FlowKeyContext("folded", input, new Executions.ExecutionCaller("ops", "invoker")), CancellationToken.None);
        Assert.Equal("acme/invoker", key);
    }

    [Fact]
    public void A_debounce_without_a_key_folds_every_start()
    {
        var rule = Stacks.Compile("""{ "name": "folded_all", "debounce": { "periodSeconds": 1 }, "stack": [] }""").Flow.Debounce;

        Assert.Null(Assert.IsType<DebounceRule>(rule).Key);
    }

    [Theory]
    [InlineData("""{ "periodSeconds": 0 }""", "$.debounce.periodSeconds", "must be a whole number of seconds from 1 to 86400")]
    [InlineData("""{ "periodSeconds": 1.5 }""", "$.debounce.periodSeconds", "must be a whole number of seconds from 1 to 86400")]
    [InlineData("""{ "periodSeconds": 2, "key": "customer" }""", "$.debounce.key", "must be an expression starting with '=' over $input and $auth, such as \"=$input.customerId\", not a text")]
    [InlineData("""{ "periodSeconds": 2, "key": "=$var.x" }""", "$.debounce.key", "a key is evaluated when the execution starts, before any step: it may read $input and $auth only")]
    [InlineData("""{ "periodSeconds": 2, "key": "=$input.items.map(i => i.id).join()" }""", "$.debounce.key", "a key must be a plain expression (reads of $input and $auth combined with operators, no calls), as it is evaluated at every start")]
    [InlineData("""{ "periodSeconds": 2, "every": 3 }""", "$.debounce.every", "unknown field 'every' for debounce; allowed: periodSeconds, key")]
    [InlineData("\"5s\"", "$.debounce", "must be an object { \"periodSeconds\": S, \"key\": \"=...\" }, not a text")]
    public void An_invalid_debounce_is_a_problem_at_its_path(string value, string path, string message)
    {
        var result = FunctionDocumentCompiler.Compile(System.Text.Json.Nodes.JsonNode.Parse($$"""{ "name": "bad_debounce", "debounce": {{value}}, "stack": [] }"""));

        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, message), (problem.Path, problem.Message));
    }
}
