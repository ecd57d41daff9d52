using System.Text.RegularExpressions;

namespace AsyncFunctions.AspNetCore.Http;

/// <summary>
/// A parameter ASP.NET Core could not bind (<c>limit=abc</c>) is reported with a message that names
/// its .NET type ("Failed to bind parameter \"Nullable&lt;int&gt; limit\""). Callers get the
/// parameter's name and what it must be in the API's own words instead.
/// </summary>
internal static partial class BindingFailure
{
    /// <summary>The parameter's name and a message without .NET type names, or null when the error is not about a parameter.</summary>
    public static (string Name, string Message)? Explain(string message)
    {
        var match = Parameter().Match(message);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        if (match.Groups["verb"].Value == "Required")
        {
            return (name, "is required");
        }

        if (match.Groups["verb"].Value == "Failed to read")
        {
            return (name, "must be a JSON body of the expected shape");
        }

        var type = match.Groups["type"].Value;
        var inner = type.StartsWith("Nullable<", StringComparison.Ordinal) ? type["Nullable<".Length..^1] : type.TrimEnd('?');
        var expected = inner switch
        {
            "int" or "long" or "short" or "Int32" or "Int64" => "a whole number within range",
            "double" or "decimal" or "float" => "a number",
            "bool" or "Boolean" => "true or false",
            "Guid" => "a UUID",
            "DateTimeOffset" or "DateTime" => "an RFC 3339 timestamp such as 2026-12-01T08:00:00Z",
            _ => "a value of the documented form",
        };
        return (name, $"must be {expected}");
    }

    [GeneratedRegex("^(?<verb>Failed to bind|Failed to read|Required) parameter \"(?<type>[^\"]+) (?<name>[^\" ]+)\"")]
    private static partial Regex Parameter();
}
