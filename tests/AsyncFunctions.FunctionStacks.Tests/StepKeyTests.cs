using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class StepKeyTests
{
    [Fact]
    public void No_step_field_is_also_a_step_kind_except_the_if_of_else_if_branches()
    {
        var clashes = DocumentCompiler.AllStepFields.Where(f => StepKinds.ByName.ContainsKey(f) && f != "if").ToList();
        Assert.Empty(clashes);
    }

    [Fact]
    public void A_null_sleep_is_a_problem()
    {
        var result = FunctionDocumentCompiler.Compile(Stacks.Doc("""[ { "sleep": null } ]"""));
        Assert.Equal("$.stack[0].sleep", Assert.Single(result.Problems).Path);
    }
}
