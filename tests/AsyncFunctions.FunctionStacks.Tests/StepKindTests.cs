using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class StepKindTests
{
    [Fact]
    public void Every_step_type_is_compiled_by_a_kind_of_the_table()
    {
        var types = typeof(Step).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Step)) && !t.IsAbstract);
        var compiled = StepKinds.All.Select(k => k.StepType).ToHashSet();
        Assert.Empty(types.Where(t => !compiled.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public async Task A_compiled_step_keeps_the_kind_it_was_written_as_and_its_as()
    {
        var doc = Stacks.Doc("""
            [ { "var": "n", "value": 1 },
              { "set": "n", "value": 2 },
              { "foreach": [1, 2], "item": "i", "do": [ { "break": true } ] },
              { "while": "=$var.n < 3", "do": [ { "set": "n", "op": "increment", "value": 1 }, { "continue": true } ] },
              { "lambda": "return $var.n * 10;", "as": "x" },
              { "try": [ { "throw": "oops" } ], "catch": [] },
              { "return": "=$var.x" } ]
            """);
        var function = Stacks.Compile(doc);
        string[] kinds = ["var", "set", "foreach", "while", "lambda", "try", "return"];
        Assert.Equal(kinds, Enumerable.Range(0, kinds.Length).Select(i => function.FindStep($"$.stack[{i}]")!.Kind.Name));
        Assert.Equal(("break", "continue", "throw"), (
            function.FindStep("$.stack[2].do[0]")!.Kind.Name,
            function.FindStep("$.stack[3].do[1]")!.Kind.Name,
            function.FindStep("$.stack[5].try[0]")!.Kind.Name));
        Assert.Equal("x", function.FindStep("$.stack[4]")!.As);

        var output = await new Stacks().RunAsync(function);
        Assert.Equal(30, output!.GetValue<int>());
    }
}
