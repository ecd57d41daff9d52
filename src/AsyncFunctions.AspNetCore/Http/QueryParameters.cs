using System.Globalization;

namespace AsyncFunctions.AspNetCore.Http;

/// <summary>Checks of query strings: a parameter the endpoint does not define is a mistake worth a 400, not silence.</summary>
public static class QueryParameters
{
    /// <summary>Throws a 400 naming every query parameter not in <paramref name="allowed"/> (compared as ASP.NET Core binds them, ignoring case).</summary>
    public static void RejectUnknown(HttpRequest request, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(request);
        var unknown = request.Query.Keys.Where(k => !allowed.Contains(k, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw ApiProblemException.BadField(
                unknown[0],
                $"is not a parameter of this endpoint (unknown: {string.Join(", ", unknown)}; known: {string.Join(", ", allowed)})");
        }
    }

    /// <summary>An RFC 3339 timestamp (<c>2026-12-01T08:00:00Z</c>); UTC when it names no offset; 400 naming the parameter otherwise.</summary>
    public static DateTimeOffset? Timestamp(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) && value.Contains('T', StringComparison.Ordinal)
            ? at
            : throw ApiProblemException.BadField(name, "must be an RFC 3339 timestamp such as 2026-12-01T08:00:00Z");
    }
}
