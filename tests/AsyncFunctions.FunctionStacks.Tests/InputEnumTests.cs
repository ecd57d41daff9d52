using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Every value of an input's enum must be a value the input could accept.</summary>
public sealed class InputEnumTests
{
    private static CompileResult Compile(string declaration) =>
        FunctionDocumentCompiler.Compile(Stacks.Doc("[]", inputs: $$"""[ { "name": "x", {{declaration}} } ]"""));

    [Theory]
    [InlineData("\"type\": \"int\", \"enum\": [\"a\", 3]", "$.inputs[0].enum[0]")]
    [InlineData("\"type\": \"int\", \"enum\": [1, 2.5]", "$.inputs[0].enum[1]")]
    [InlineData("\"type\": \"text\", \"enum\": [\"a\", true]", "$.inputs[0].enum[1]")]
    [InlineData("\"type\": \"text\", \"enum\": [\"a\", \"bb\"], \"maxLength\": 1", "$.inputs[0].enum[1]")]
    [InlineData("\"type\": \"int\", \"enum\": [1, null]", "$.inputs[0].enum[1]")]
    [InlineData("\"type\": \"array\", \"items\": { \"type\": \"int\" }, \"enum\": [[1], [\"x\"]]", "$.inputs[0].enum[1]")]
    public void An_enum_value_the_input_cannot_accept_is_a_problem_at_its_path(string declaration, string path)
    {
        var result = Compile(declaration);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.StartsWith("the enum value does not fit the declaration: ", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"type\": \"int\", \"enum\": [1, 2, 3]")]
    [InlineData("\"type\": \"text\", \"enum\": [\"a\", \"b\"], \"default\": \"a\"")]
    [InlineData("\"type\": \"any\", \"enum\": [1, \"a\", { \"b\": 2 }]")]
    [InlineData("\"type\": \"int\", \"nullable\": true, \"enum\": [1, null]")]
    public void Fitting_enum_values_compile(string declaration) =>
        Assert.Empty(Compile(declaration).Problems);
}
