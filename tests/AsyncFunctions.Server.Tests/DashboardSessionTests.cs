using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A dashboard sign-in is bound to the key it was made with and ends on the server at sign-out:
/// a copy of the cookie opens nothing afterwards, on any node sharing the results database, nor
/// after the key was replaced under the same name.
/// </summary>
public sealed partial class DashboardSessionTests : IDisposable
{
    private const string Cookie = ".AsyncFunctions.Dashboard";

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"af-session-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Fact]
    public async Task After_sign_out_a_copy_of_the_cookie_no_longer_opens_the_dashboard_on_any_node()
    {
        using var one = new TestApp(workers: 0, databasePath: _database);
        using var two = new TestApp(workers: 0, databasePath: _database);
        using var browser = Browser(one);
        var cookie = await SignInAsync(browser, TestKeys.Admin);
        Assert.Equal(HttpStatusCode.OK, await DashboardStatusAsync(one, cookie));
        Assert.Equal(HttpStatusCode.OK, await DashboardStatusAsync(two, cookie));

        var signOutPage = await browser.GetStringAsync(new Uri("/sign-in", UriKind.Relative));
        var token = HiddenToken().Match(signOutPage);
        using var signOut = await browser.PostAsync(new Uri("/sign-out", UriKind.Relative), new FormUrlEncodedContent(
            [new(token.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[2].Value))]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, await DashboardStatusAsync(one, cookie));
        Assert.Equal(HttpStatusCode.Redirect, await DashboardStatusAsync(two, cookie));

        // A node started afterwards (a restart) refuses it too.
        using var three = new TestApp(workers: 0, databasePath: _database);
        Assert.Equal(HttpStatusCode.Redirect, await DashboardStatusAsync(three, cookie));
    }

    [Fact]
    public async Task A_cookie_of_a_key_replaced_under_the_same_name_no_longer_opens_the_dashboard()
    {
        const string replacement = "replaced-admin-key-0123456789";
        using var before = new TestApp(workers: 0, databasePath: _database);
        using var sameKey = new TestApp(workers: 0, databasePath: _database);
        using var replaced = new TestApp(workers: 0, databasePath: _database, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:ApiKeys:0:Key"] = replacement,
        });
        using var browser = Browser(before);
        var cookie = await SignInAsync(browser, TestKeys.Admin);

        // The cookie outlives a restart with the same keys, so what follows is the key's doing.
        Assert.Equal(HttpStatusCode.OK, await DashboardStatusAsync(sameKey, cookie));
        Assert.Equal(HttpStatusCode.Redirect, await DashboardStatusAsync(replaced, cookie));
        using var requeue = new HttpRequestMessage(HttpMethod.Post, new Uri("/hangfire/jobs/failed/requeue", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "1")]),
        };
        requeue.Headers.Add("Cookie", $"{Cookie}={cookie}");
        using var stranger = Browser(replaced);
        using var refused = await stranger.SendAsync(requeue);
        Assert.NotEqual(HttpStatusCode.NoContent, refused.StatusCode);
        Assert.False(refused.IsSuccessStatusCode, $"A requeue through the old cookie answered {(int)refused.StatusCode}.");

        // The new key signs in as usual.
        using var owner = Browser(replaced);
        var fresh = await SignInAsync(owner, replacement);
        Assert.Equal(HttpStatusCode.OK, await DashboardStatusAsync(replaced, fresh));
    }

    [Fact]
    public async Task The_viewers_rate_limit_applies_to_its_dashboard_cookie()
    {
        using var app = new TestApp(workers: 0, databasePath: _database, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:RateLimits:viewer:PermitPerSecond"] = "0.001",
            ["AsyncFunctions:RateLimits:viewer:Burst"] = "2",
        });
        using var browser = Browser(app);
        await SignInAsync(browser, TestKeys.Viewer);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>A browser: keeps cookies, sends no key, does not follow redirects.</summary>
    private static HttpClient Browser(WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }).As(null);

    /// <summary>Signs in through the form and returns the value of the dashboard cookie it set.</summary>
    private static async Task<string> SignInAsync(HttpClient browser, string key)
    {
        var page = await browser.GetStringAsync(new Uri("/sign-in?returnUrl=%2Fhangfire", UriKind.Relative));
        var token = HiddenToken().Match(page);
        using var signIn = await browser.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(
            [new(token.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[2].Value)), new("key", key), new("returnUrl", "/hangfire")]));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var header = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(Cookie + "=", StringComparison.Ordinal));
        return header[(Cookie.Length + 1)..header.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>What the dashboard answers a request that carries only this cookie (a copy kept elsewhere).</summary>
    private static async Task<HttpStatusCode> DashboardStatusAsync(WebApplicationFactory<Program> app, string cookie)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }).As(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/hangfire", UriKind.Relative));
        request.Headers.Add("Cookie", $"{Cookie}={cookie}");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex HiddenToken();
}
