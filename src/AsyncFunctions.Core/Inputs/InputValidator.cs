using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AsyncFunctions.Inputs;

/// <summary>
/// Checks an input object against declarations and returns the normalized input: defaults filled
/// in, numbers and timestamps in canonical form. Every problem is reported, not just the first.
/// Undeclared fields pass through unchanged, so a function may accept more than it declares.
/// </summary>
public static class InputValidator
{
    private static readonly long MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    public static JsonObject Validate(JsonNode? input, IReadOnlyList<InputDeclaration> declarations, out IReadOnlyList<InputProblem> problems)
    {
        var found = new List<InputProblem>();
        JsonObject result;
        if (input is null)
        {
            result = [];
        }
        else if (input is JsonObject obj)
        {
            result = (JsonObject)obj.DeepClone();
        }
        else
        {
            problems = [new InputProblem("input", $"must be a JSON object, not {JsonKinds.Describe(input)}")];
            return [];
        }

        foreach (var declaration in declarations)
        {
            var path = "input." + declaration.Name;
            if (!result.TryGetPropertyValue(declaration.Name, out var value))
            {
                if (declaration.Default is not null)
                {
                    result[declaration.Name] = Check(declaration.Default.DeepClone(), declaration, path, found);
                }
                else if (declaration.Required)
                {
                    found.Add(new InputProblem(path, "is required"));
                }

                continue;
            }

            var normalized = Check(value, declaration, path, found);
            if (!ReferenceEquals(normalized, value))
            {
                result[declaration.Name] = normalized;
            }
        }

        problems = found;
        return result;
    }

    /// <summary>Validates and throws <see cref="InputValidationException"/> naming every bad field.</summary>
    public static JsonObject ValidateOrThrow(JsonNode? input, IReadOnlyList<InputDeclaration> declarations)
    {
        var result = Validate(input, declarations, out var problems);
        return problems.Count > 0 ? throw new InputValidationException(problems) : result;
    }

    private static JsonNode? Check(JsonNode? value, InputDeclaration declaration, string path, List<InputProblem> problems)
    {
        if (value is null)
        {
            if (!declaration.Nullable)
            {
                problems.Add(new InputProblem(path, "must not be null"));
            }

            return null;
        }

        var normalized = CheckType(value, declaration, path, problems);
        if (normalized is null)
        {
            return value;
        }

        CheckConstraints(normalized, declaration, path, problems);
        return normalized;
    }

    private static JsonNode? CheckType(JsonNode value, InputDeclaration declaration, string path, List<InputProblem> problems)
    {
        var kind = value.GetValueKind();
        switch (declaration.Type)
        {
            case InputType.Any:
                return value;
            case InputType.Text when kind == JsonValueKind.String:
                return value;
            case InputType.Bool when kind is JsonValueKind.True or JsonValueKind.False:
                return value;
            case InputType.Object when kind == JsonValueKind.Object:
                return value;
            case InputType.Int when kind == JsonValueKind.Number:
                if (TryDecimal(value, out var d) && d == decimal.Truncate(d) && d >= long.MinValue && d <= long.MaxValue)
                {
                    return JsonValue.Create((long)d);
                }

                problems.Add(new InputProblem(path, $"must be a whole number, not {value.ToJsonString()}"));
                return null;
            case InputType.Decimal when kind == JsonValueKind.Number:
                if (TryDecimal(value, out _))
                {
                    return value;
                }

                problems.Add(new InputProblem(path, $"is out of the decimal range: {value.ToJsonString()}"));
                return null;
            case InputType.Timestamp when kind == JsonValueKind.String:
                if (DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    return JsonValue.Create(Timestamp(at));
                }

                problems.Add(new InputProblem(path, "must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z"));
                return null;
            case InputType.Timestamp when kind == JsonValueKind.Number && value.AsValue().TryGetValue<long>(out var ms):
                if (ms < MinUnixMilliseconds || ms > MaxUnixMilliseconds)
                {
                    problems.Add(new InputProblem(path, "must be milliseconds since 1970-01-01 within the years 0001 to 9999"));
                    return null;
                }

                return JsonValue.Create(Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(ms)));
            case InputType.Array when kind == JsonValueKind.Array:
                return CheckItems(value.AsArray(), declaration, path, problems);
            default:
                problems.Add(new InputProblem(path, $"must be {Article(declaration.Type)}, not {JsonKinds.Describe(value)}"));
                return null;
        }
    }

    private static JsonNode CheckItems(JsonArray array, InputDeclaration declaration, string path, List<InputProblem> problems)
    {
        if (declaration.Items is null)
        {
            return array;
        }

        var copy = new JsonArray();
        for (var i = 0; i < array.Count; i++)
        {
            copy.Add(Check(array[i]?.DeepClone(), declaration.Items, $"{path}[{i}]", problems));
        }

        return copy;
    }

    private static void CheckConstraints(JsonNode value, InputDeclaration declaration, string path, List<InputProblem> problems)
    {
        if ((declaration.Min is not null || declaration.Max is not null) && TryDecimal(value, out var number))
        {
            if (number < declaration.Min)
            {
                problems.Add(new InputProblem(path, $"must be at least {declaration.Min}"));
            }

            if (number > declaration.Max)
            {
                problems.Add(new InputProblem(path, $"must be at most {declaration.Max}"));
            }
        }

        var length = value switch
        {
            JsonArray a => a.Count,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => (int?)v.GetValue<string>().Length,
            _ => null,
        };
        var unit = value is JsonArray ? "items" : "characters";
        if (length < declaration.MinLength)
        {
            problems.Add(new InputProblem(path, $"must have at least {declaration.MinLength} {unit}"));
        }

        if (length > declaration.MaxLength)
        {
            problems.Add(new InputProblem(path, $"must have at most {declaration.MaxLength} {unit}"));
        }

        if (declaration.Pattern is not null && value.GetValueKind() == JsonValueKind.String &&
            !MatchesWhole(value.GetValue<string>(), declaration.Pattern))
        {
            problems.Add(new InputProblem(path, $"must match the pattern {declaration.Pattern}"));
        }

        if (declaration.Enum is { Count: > 0 } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            problems.Add(new InputProblem(path, "must be one of " + string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"))));
        }
    }

    private static bool MatchesWhole(string text, string pattern)
    {
        try
        {
            return Regex.IsMatch(text, $"^(?:{pattern})$", RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// The form JavaScript's toISOString gives (UTC, milliseconds, Z), so an input timestamp and a
    /// Date made from it in a script are the same text; finer digits are cut, as a Date keeps none.
    /// </summary>
    private static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    private static bool TryDecimal(JsonNode value, out decimal number)
    {
        number = 0;
        return value.GetValueKind() == JsonValueKind.Number &&
            decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static string Article(InputType type) => type switch
    {
        InputType.Int => "an int",
        InputType.Object => "an object",
        InputType.Array => "an array",
        InputType.Text => "a text",
        InputType.Decimal => "a decimal",
        InputType.Bool => "a bool",
        InputType.Timestamp => "a timestamp",
        _ => "a value",
    };
}
