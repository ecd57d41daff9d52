using System.Text.RegularExpressions;

namespace AsyncFunctions.Functions;

/// <summary>Rules for function names: letters, digits, '.', '_' and '-', at most 200 characters.</summary>
public static partial class FunctionName
{
    public const int MaxLength = 200;

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && Pattern().IsMatch(name);

    /// <summary>Throws when <paramref name="name"/> is not a valid function name.</summary>
    public static string Validate(string? name, string paramName = "name")
    {
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid function name: use 1 to {MaxLength} letters, digits, '.', '_' or '-'.",
                paramName);
        }

        return name!;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
