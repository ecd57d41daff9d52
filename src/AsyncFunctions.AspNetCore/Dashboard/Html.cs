using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.AspNetCore.Dashboard;

/// <summary>
/// Text for the dashboard's hand-written pages. Inputs, outputs, errors and logs are data a
/// caller chose, so every value goes through <see cref="E"/> before it reaches a page.
/// </summary>
internal static class Html
{
    // JSON is shown as written (no \u003C escapes), then HTML-encoded as a whole.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Json(JsonNode? node) => node is null ? "null" : node.ToJsonString(Indented);

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC" : "";

    /// <summary>A query string from the non-empty pairs, each part escaped.</summary>
    public static string Query(params (string Name, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
