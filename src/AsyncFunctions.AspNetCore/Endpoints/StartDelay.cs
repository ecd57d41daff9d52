using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.AspNetCore.Http;

namespace AsyncFunctions.AspNetCore.Endpoints;

/// <summary>
/// A delayed start: <c>"runAt"</c> (an RFC 3339 timestamp with its offset) or <c>"delaySeconds"</c>
/// in a start body. A <c>runAt</c> in the past runs now; neither may lie more than
/// <see cref="Max"/> ahead.
/// </summary>
public static class StartDelay
{
    /// <summary>The furthest ahead a start may be delayed.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(365);

    /// <summary>When the execution should start, or null to queue it now.</summary>
    public static DateTimeOffset? Read(JsonObject body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(body);
        var runAt = body["runAt"];
        var delay = body["delaySeconds"];
        if (runAt is not null && delay is not null)
        {
            throw ApiProblemException.BadField("runAt", "give runAt or delaySeconds, not both");
        }

        if (runAt is not null)
        {
            var text = runAt.GetValueKind() == JsonValueKind.String ? runAt.GetValue<string>() : null;
            if (text is null || !IsRfc3339(text, out var at))
            {
                throw ApiProblemException.BadField("runAt", "must be an RFC 3339 timestamp with an offset, such as 2030-01-01T08:00:00Z");
            }

            return at - now > Max
                ? throw ApiProblemException.BadField("runAt", $"must be at most {Max.TotalDays} days ahead")
                : at;
        }

        if (delay is not null)
        {
            if (delay.GetValueKind() != JsonValueKind.Number || !delay.AsValue().TryGetValue<double>(out var seconds) || seconds < 0 || seconds > Max.TotalSeconds)
            {
                throw ApiProblemException.BadField("delaySeconds", $"must be a number from 0 to {Max.TotalSeconds}");
            }

            return now + TimeSpan.FromSeconds(seconds);
        }

        return null;
    }

    /// <summary>An RFC 3339 date-time: date, <c>T</c> (or a space), time, and <c>Z</c> or a numeric offset.</summary>
    private static bool IsRfc3339(string text, out DateTimeOffset at)
    {
        at = default;
        return text.Length >= 20
            && text[10] is 'T' or 't' or ' '
            && (text[^1] is 'Z' or 'z' || (text.Length >= 25 && text[^6] is '+' or '-' && text[^3] == ':'))
            && DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out at);
    }
}
