using System.Net;
using System.Text.RegularExpressions;

namespace AsyncFunctions.Server.Tests;

/// <summary>Reads the dashboard's pages as an operator's browser gets them (admin key unless told otherwise).</summary>
public static partial class DashboardPages
{
    public static async Task<string> GetHtmlAsync(this TestApp app, string path, HttpStatusCode expected = HttpStatusCode.OK, string? key = TestKeys.Admin)
    {
        using var response = await app.ClientAs(key).GetAsync(new Uri(path, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: expected {(int)expected}, got {(int)response.StatusCode}: {html}");
        return html;
    }

    /// <summary>The decoded href of the first link with the given class.</summary>
    public static string? Href(string html, string cssClass)
    {
        var match = Regex.Match(html, $"<a class=\"{Regex.Escape(cssClass)}\" href=\"([^\"]*)\"");
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    /// <summary>The ids of the Executions page's rows, in order.</summary>
    public static IReadOnlyList<string> RowIds(string html) =>
        RowPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    /// <summary>The decoded text of the first element with the given class.</summary>
    public static string? Text(string html, string element, string cssClass)
    {
        var match = Regex.Match(html, $"<{element} class=\"{Regex.Escape(cssClass)}\"[^>]*>(.*?)</{element}>", RegexOptions.Singleline);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("<tr class=\"af-row\" data-id=\"([^\"]*)\"")]
    private static partial Regex RowPattern();
}
