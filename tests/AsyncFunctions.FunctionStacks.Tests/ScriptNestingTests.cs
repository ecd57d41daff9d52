using System.Text.Json;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Scripts nested too deeply to parse are problems of the document at their path, not server errors.</summary>
public sealed class ScriptNestingTests
{
    private static readonly string Parentheses = new string('(', 20_000) + "1" + new string(')', 20_000);
    private static readonly string Arrows = string.Concat(Enumerable.Repeat("() => ", 3_000)) + "1";
    private static readonly string Additions = string.Join(" + ", Enumerable.Repeat("1", 20_000));

    public static TheoryData<string> DeepExpressions => new() { Parentheses, Arrows, Additions, "[".PadRight(20_000, '[') + "".PadRight(20_000, ']') };

    [Theory]
    [MemberData(nameof(DeepExpressions))]
    public void A_deep_expression_is_a_problem_at_its_path(string expression)
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc(
            $$"""[ { "var": "ok", "value": 1 }, { "var": "x", "value": {{JsonSerializer.Serialize("=" + expression)}} } ]"""));
        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.stack[1].value", problem.Path);
    }

    [Theory]
    [MemberData(nameof(DeepExpressions))]
    public void A_deep_lambda_is_a_problem_at_its_path(string expression)
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc(
            $$"""[ { "lambda": {{JsonSerializer.Serialize("return " + expression + ";")}} } ]""", "\"=" + string.Concat(Enumerable.Repeat("() => ", 300)) + "1\""));
        Assert.False(result.Succeeded);
        Assert.Equal(["$.response", "$.stack[0].lambda"], result.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Blocks_nested_thousands_deep_are_a_problem_too()
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc(
            $$"""[ { "lambda": {{JsonSerializer.Serialize(new string('{', 20_000) + new string('}', 20_000))}} } ]"""));
        Assert.Equal("$.stack[0].lambda", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void The_bound_is_the_same_on_every_thread()
    {
        var expression = JsonSerializer.Serialize("=" + string.Concat(Enumerable.Repeat("() => ", 300)) + "1");
        Assert.False(FunctionDocumentCompiler.Compile(Stacks.Doc("[]", expression)).Succeeded);
        Assert.True(FunctionDocumentCompiler.Compile(Stacks.Doc("[]", JsonSerializer.Serialize("=" + string.Concat(Enumerable.Repeat("() => ", 200)) + "1"))).Succeeded);
    }

    [Fact]
    public async Task Moderate_nesting_still_compiles_and_runs()
    {
        var expression = new string('(', 100) + "2" + new string(')', 100) + " * " + string.Concat(Enumerable.Repeat("(() => ", 50)) + "21" + new string(')', 50) + string.Concat(Enumerable.Repeat("()", 50));
        var output = await new Stacks().RunAsync(Stacks.Doc("[]", JsonSerializer.Serialize("=" + expression)));
        Assert.Equal(42, output!.GetValue<int>());
    }
}
