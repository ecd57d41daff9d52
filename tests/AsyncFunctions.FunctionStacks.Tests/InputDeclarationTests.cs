using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>Every input type and constraint, declared in a document and enforced before a run.</summary>
public sealed class InputDeclarationTests
{
    /// <summary>Validates <paramref name="value"/> as the input "x" declared by <paramref name="declaration"/>.</summary>
    private static (JsonObject Input, IReadOnlyList<InputProblem> Problems) Check(string declaration, string? value)
    {
        var function = Stacks.Compile(Stacks.Doc("[]", inputs: $$"""[ { "name": "x", {{declaration}} } ]"""));
        var input = value is null ? new JsonObject() : new JsonObject { ["x"] = JsonNode.Parse(value) };
        var validated = InputValidator.Validate(input, function.Inputs, out var problems);
        return (validated, problems);
    }

    [Theory]
    [InlineData("\"type\": \"text\"", "\"hi\"", "true")]
    [InlineData("\"type\": \"text\"", "\"\"", "7")]
    [InlineData("\"type\": \"int\"", "7", "7.5")]
    [InlineData("\"type\": \"int\"", "-3", "\"3\"")]
    [InlineData("\"type\": \"decimal\"", "7.25", "\"7.25\"")]
    [InlineData("\"type\": \"decimal\"", "7", "true")]
    [InlineData("\"type\": \"bool\"", "false", "0")]
    [InlineData("\"type\": \"timestamp\"", "\"2026-11-25T10:00:00+01:00\"", "\"next tuesday\"")]
    [InlineData("\"type\": \"object\"", "{ \"a\": 1 }", "[1]")]
    [InlineData("\"type\": \"array\"", "[1, \"a\"]", "{}")]
    [InlineData("\"type\": \"array\", \"items\": { \"type\": \"int\" }", "[1, 2]", "[1, \"2\"]")]
    [InlineData("\"type\": \"any\"", "{ \"deep\": [null] }", null)]
    public void Each_type_accepts_its_values_and_refuses_others(string declaration, string good, string? bad)
    {
        Assert.Empty(Check(declaration, good).Problems);
        if (bad is not null)
        {
            var problem = Assert.Single(Check(declaration, bad).Problems);
            Assert.StartsWith("input.x", problem.Path, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\"type\": \"int\", \"min\": 1", "1", "0")]
    [InlineData("\"type\": \"decimal\", \"max\": 2.5", "2.5", "2.51")]
    [InlineData("\"type\": \"text\", \"minLength\": 2", "\"ab\"", "\"a\"")]
    [InlineData("\"type\": \"text\", \"maxLength\": 2", "\"ab\"", "\"abc\"")]
    [InlineData("\"type\": \"array\", \"minLength\": 1", "[0]", "[]")]
    [InlineData("\"type\": \"array\", \"maxLength\": 1", "[0]", "[0, 1]")]
    [InlineData("\"type\": \"text\", \"pattern\": \"[a-z]+\"", "\"abc\"", "\"abc1\"")]
    [InlineData("\"type\": \"text\", \"enum\": [\"red\", \"blue\"]", "\"red\"", "\"green\"")]
    [InlineData("\"type\": \"int\", \"enum\": [1, 2]", "2", "3")]
    [InlineData("\"type\": \"array\", \"items\": { \"type\": \"text\", \"maxLength\": 1 }", "[\"a\"]", "[\"a\", \"bb\"]")]
    [InlineData("\"type\": \"text\", \"nullable\": true", "null", "5")]
    public void Each_constraint_is_enforced(string declaration, string good, string bad)
    {
        Assert.Empty(Check(declaration, good).Problems);
        Assert.NotEmpty(Check(declaration, bad).Problems);
    }

    [Fact]
    public void Required_default_and_null()
    {
        Assert.Equal("input.x", Assert.Single(Check("\"type\": \"text\", \"required\": true", null).Problems).Path);
        Assert.Equal("input.x", Assert.Single(Check("\"type\": \"text\"", "null").Problems).Path);
        var (input, problems) = Check("\"type\": \"int\", \"default\": 5", null);
        Assert.Empty(problems);
        Assert.Equal("5", input["x"]!.ToJsonString());
    }

    [Fact]
    public void Timestamps_and_whole_decimals_are_normalized()
    {
        var timestamp = DateTimeOffset.Parse(Check("\"type\": \"timestamp\"", "\"2026-11-25T10:00:00+01:00\"").Input["x"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), TimeSpan.Zero), (timestamp, timestamp.Offset));
        Assert.Equal("3", Check("\"type\": \"int\"", "3.0").Input["x"]!.ToJsonString());
    }

    [Theory]
    [InlineData("\"type\": \"integer\"", "$.inputs[0].type")]
    [InlineData("\"type\": \"int\", \"min\": \"one\"", "$.inputs[0].min")]
    [InlineData("\"type\": \"text\", \"pattern\": \"[\"", "$.inputs[0].pattern")]
    [InlineData("\"type\": \"int\", \"default\": \"five\"", "$.inputs[0].default")]
    [InlineData("\"type\": \"text\", \"enum\": [\"a\"], \"default\": \"b\"", "$.inputs[0].default")]
    [InlineData("\"type\": \"text\", \"colour\": 1", "$.inputs[0].colour")]
    public void Bad_declarations_are_problems_at_their_path(string declaration, string path)
    {
        var result = Compiling.FunctionDocumentCompiler.Compile(Stacks.Doc("[]", inputs: $$"""[ { "name": "x", {{declaration}} } ]"""));
        Assert.Contains(result.Problems, p => p.Path == path);
    }
}
