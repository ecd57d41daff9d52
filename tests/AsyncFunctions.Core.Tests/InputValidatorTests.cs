using System.Text.Json.Nodes;
using AsyncFunctions.Inputs;

namespace AsyncFunctions.Core.Tests;

public class InputValidatorTests
{
    private static JsonObject Validate(string json, out IReadOnlyList<InputProblem> problems, params InputDeclaration[] declarations) =>
        InputValidator.Validate(JsonNode.Parse(json), declarations, out problems);

    [Fact]
    public void Every_bad_field_is_reported_with_its_path()
    {
        Validate(
            """{ "age": "ten", "name": "", "tags": ["a", 3] }""",
            out var problems,
            new InputDeclaration { Name = "age", Type = InputType.Int },
            new InputDeclaration { Name = "name", Type = InputType.Text, MinLength = 1 },
            new InputDeclaration { Name = "tags", Type = InputType.Array, Items = new InputDeclaration { Name = "tag", Type = InputType.Text } },
            new InputDeclaration { Name = "email", Type = InputType.Text, Required = true });

        Assert.Equal(
            ["input.age", "input.name", "input.tags[1]", "input.email"],
            problems.Select(p => p.Path));
    }

    [Fact]
    public void Defaults_fill_absent_inputs_in_canonical_form()
    {
        var result = Validate("{}", out var problems, new InputDeclaration { Name = "delayMs", Type = InputType.Int, Default = 0 });

        Assert.Empty(problems);
        Assert.Equal(0L, result["delayMs"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{ "n": 3 }""", true)]
    [InlineData("""{ "n": 3.0 }""", true)]
    [InlineData("""{ "n": 3.5 }""", false)]
    [InlineData("""{ "n": "3" }""", false)]
    [InlineData("""{ "n": 99999999999999999999 }""", false)]
    public void Int_accepts_whole_numbers_only(string json, bool valid)
    {
        Validate(json, out var problems, new InputDeclaration { Name = "n", Type = InputType.Int });
        Assert.Equal(valid, problems.Count == 0);
    }

    [Theory]
    [InlineData("""{ "v": -1 }""", "must be at least 0")]
    [InlineData("""{ "v": 11 }""", "must be at most 10")]
    public void Min_and_max_bound_numbers(string json, string message)
    {
        Validate(json, out var problems, new InputDeclaration { Name = "v", Type = InputType.Decimal, Min = 0, Max = 10 });
        Assert.Equal(message, Assert.Single(problems).Message);
    }

    [Fact]
    public void Pattern_must_match_the_whole_text()
    {
        var declaration = new InputDeclaration { Name = "code", Type = InputType.Text, Pattern = "[A-Z]{3}" };
        Validate("""{ "code": "ABC" }""", out var ok, declaration);
        Validate("""{ "code": "xABCx" }""", out var bad, declaration);

        Assert.Empty(ok);
        Assert.Contains("pattern", Assert.Single(bad).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_limits_values()
    {
        var declaration = new InputDeclaration { Name = "color", Type = InputType.Text, Enum = [JsonValue.Create("red"), JsonValue.Create("blue")] };
        Validate("""{ "color": "green" }""", out var problems, declaration);

        Assert.Equal("must be one of \"red\", \"blue\"", Assert.Single(problems).Message);
    }

    [Fact]
    public void Null_is_refused_unless_nullable()
    {
        Validate("""{ "a": null, "b": null }""", out var problems,
            new InputDeclaration { Name = "a", Type = InputType.Text },
            new InputDeclaration { Name = "b", Type = InputType.Text, Nullable = true });

        Assert.Equal("input.a", Assert.Single(problems).Path);
    }

    [Fact]
    public void Timestamps_are_normalized_to_utc_iso_8601()
    {
        var result = Validate("""{ "at": "2026-03-01T10:00:00+02:00" }""", out var problems, new InputDeclaration { Name = "at", Type = InputType.Timestamp });

        Assert.Empty(problems);
        Assert.Equal("2026-03-01T08:00:00.000Z", result["at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(InputType.Bool, """{ "x": true }""", true)]
    [InlineData(InputType.Bool, """{ "x": "true" }""", false)]
    [InlineData(InputType.Object, """{ "x": {} }""", true)]
    [InlineData(InputType.Object, """{ "x": [] }""", false)]
    [InlineData(InputType.Array, """{ "x": [] }""", true)]
    [InlineData(InputType.Any, """{ "x": [1, "a", null] }""", true)]
    [InlineData(InputType.Timestamp, """{ "x": "yesterday" }""", false)]
    [InlineData(InputType.Timestamp, """{ "x": 1767225600000 }""", true)]
    [InlineData(InputType.Timestamp, """{ "x": 9007199254740991 }""", false)]
    [InlineData(InputType.Timestamp, """{ "x": -9007199254740991 }""", false)]
    public void Types_are_checked(InputType type, string json, bool valid)
    {
        Validate(json, out var problems, new InputDeclaration { Name = "x", Type = type });
        Assert.Equal(valid, problems.Count == 0);
    }

    [Fact]
    public void A_non_object_input_is_one_clear_problem()
    {
        InputValidator.Validate(JsonNode.Parse("[1,2]"), [], out var problems);
        Assert.Equal(new InputProblem("input", "must be a JSON object, not an array"), Assert.Single(problems));
    }

    [Fact]
    public void Undeclared_fields_pass_through()
    {
        var result = Validate("""{ "extra": 1 }""", out var problems);
        Assert.Empty(problems);
        Assert.Equal(1, result["extra"]!.GetValue<int>());
    }
}
