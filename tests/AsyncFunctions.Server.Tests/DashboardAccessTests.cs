using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The dashboard needs the admin role, or viewer for a read-only dashboard, from any machine:
/// the sign-in page takes a key and sets an HttpOnly, SameSite=Strict cookie; its form carries
/// an anti-forgery token.
/// </summary>
public sealed partial class DashboardAccessTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string FailedPage = "/hangfire/jobs/failed";
    private const string Requeue = "/hangfire/jobs/failed/requeue";

    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task Without_a_key_the_dashboard_sends_the_browser_to_the_sign_in_page()
    {
        using var browser = Browser(_app);

        using var response = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2Fhangfire", response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sign_in_form_carries_a_token_and_a_post_without_it_is_refused()
    {
        using var browser = Browser(_app);
        var (field, token) = await SignInTokenAsync(browser);
        Assert.NotEmpty(token);

        using var forged = await browser.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent([new("key", TestKeys.Admin)]));
        using var dashboard = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".AsyncFunctions.Dashboard=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.NotEmpty(field);
    }

    [Fact]
    public async Task An_admin_signs_in_and_the_cookie_is_HttpOnly_and_SameSite_Strict_and_Secure_over_https()
    {
        using var browser = Browser(_app, new Uri("https://localhost"));

        using var signedIn = await SignInAsync(browser, TestKeys.Admin);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/hangfire", signedIn.Headers.Location!.OriginalString);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AsyncFunctions.Dashboard=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        using var dashboard = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task A_viewer_gets_a_read_only_dashboard_and_its_posts_are_refused()
    {
        var id = await FailedJobAsync();
        using var admin = Browser(_app);
        using var viewer = Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(admin, TestKeys.Admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(viewer, TestKeys.Viewer)).StatusCode);

        var adminPage = await admin.GetStringAsync(new Uri(FailedPage, UriKind.Relative));
        var viewerPage = await viewer.GetStringAsync(new Uri(FailedPage, UriKind.Relative));
        Assert.Contains($"data-url=\"{Requeue}\"", adminPage, StringComparison.Ordinal);
        Assert.Contains("/hangfire/jobs/failed/delete", adminPage, StringComparison.Ordinal);
        Assert.Contains(id, viewerPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-url=\"{Requeue}\"", viewerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("/hangfire/jobs/failed/delete", viewerPage, StringComparison.Ordinal);

        using var post = RequeueRequest(id, viewerPage);
        using var refused = await viewer.SendAsync(post);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Failed", StateOf(id));

        // The counters the dashboard's script polls with a post are a read: a viewer gets them.
        using var stats = new HttpRequestMessage(HttpMethod.Post, new Uri("/hangfire/stats", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("metrics[]", "failed:count")]),
        };
        stats.Headers.Add(CsrfHeader().Match(viewerPage).Groups[1].Value, CsrfToken().Match(viewerPage).Groups[1].Value);
        using var counters = await viewer.SendAsync(stats);
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
    }

    [Fact]
    public async Task An_invoker_key_has_no_dashboard()
    {
        using var browser = Browser(_app);
        using var signIn = await SignInAsync(browser, TestKeys.Invoker);
        using var byKey = await _app.ClientAs(TestKeys.Invoker).GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byKey.StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_does_not_sign_in()
    {
        using var browser = Browser(_app);
        using var signIn = await SignInAsync(browser, TestKeys.Wrong);
        using var dashboard = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Fact]
    public async Task An_admin_signed_in_from_another_machine_uses_the_whole_dashboard()
    {
        using var remote = new TestApp(workers: 1, remoteAddress: IPAddress.Parse("198.51.100.20"));
        var id = await FailedJobAsync(remote);
        using var browser = Browser(remote);

        using var before = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(browser, TestKeys.Admin)).StatusCode);

        var page = await browser.GetStringAsync(new Uri(FailedPage, UriKind.Relative));
        using var post = RequeueRequest(id, page);
        using var requeued = await browser.SendAsync(post);

        Assert.Equal(HttpStatusCode.NoContent, requeued.StatusCode);
        await remote.WaitForAsync(id, r => r["attempts"]!.GetValue<int>() == 2);
    }

    [Fact]
    public async Task A_blank_key_does_not_sign_in_even_when_its_hash_is_configured()
    {
        const string blank = "                ";
        using var app = new TestApp(workers: 0, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:ApiKeys:4:Name"] = "blank",
            ["AsyncFunctions:ApiKeys:4:Role"] = "admin",
            ["AsyncFunctions:ApiKeys:4:KeyHash"] = TestKeys.Sha256(blank),
        });
        using var browser = Browser(app);

        using var signIn = await SignInAsync(browser, blank);
        using var dashboard = await browser.GetAsync(new Uri("/hangfire", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
    }

    [Theory]
    [InlineData("/hangfire\r\nSet-Cookie: planted=1", HttpStatusCode.Redirect)]
    [InlineData("/hangfire/jobs\n", HttpStatusCode.Redirect)]
    [InlineData("/hangfire/\u00e9t\u00e9", HttpStatusCode.Redirect)]
    [InlineData("/hangfire\u0000", HttpStatusCode.BadRequest)]
    public async Task A_return_url_with_control_or_non_ascii_characters_redirects_to_the_dashboard_or_is_a_400(string returnUrl, HttpStatusCode expected)
    {
        using var browser = Browser(_app);
        var (field, token) = await SignInTokenAsync(browser);

        using var signIn = await browser.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(
            [new(field, token), new("key", TestKeys.Admin), new("returnUrl", returnUrl)]));

        Assert.Equal(expected, signIn.StatusCode);
        if (expected == HttpStatusCode.Redirect)
        {
            Assert.Equal("/hangfire", signIn.Headers.Location!.OriginalString);
        }
        else
        {
            Assert.Equal("application/problem+json", signIn.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>A browser: keeps cookies, sends no key, does not follow redirects.</summary>
    private static HttpClient Browser(WebApplicationFactory<Program> app, Uri? baseAddress = null) =>
        app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = baseAddress ?? new Uri("http://localhost"),
        }).As(null);

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var (field, token) = await SignInTokenAsync(browser);
        return await browser.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(
            [new(field, token), new("key", key), new("returnUrl", "/hangfire")]));
    }

    private static async Task<(string Field, string Token)> SignInTokenAsync(HttpClient browser)
    {
        var page = await browser.GetStringAsync(new Uri("/sign-in?returnUrl=%2Fhangfire", UriKind.Relative));
        var match = HiddenToken().Match(page);
        Assert.True(match.Success, "The sign-in form carries no anti-forgery token: " + page);
        return (match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    private static HttpRequestMessage RequeueRequest(string id, string dashboardPage)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Requeue, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("jobs[]", id)]),
        };
        request.Headers.Add(CsrfHeader().Match(dashboardPage).Groups[1].Value, CsrfToken().Match(dashboardPage).Groups[1].Value);
        return request;
    }

    private Task<string> FailedJobAsync() => FailedJobAsync(_app);

    private static async Task<string> FailedJobAsync(TestApp app)
    {
        var id = await app.StartAsync("examples.fail", new { message = "for the dashboard" });
        await app.AwaitAsync([id]);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (StateOf(app, id) != "Failed")
        {
            Assert.True(DateTime.UtcNow < deadline, $"Job {id} never reached Hangfire's Failed state.");
            await Task.Delay(20);
        }

        return id;
    }

    private string? StateOf(string id) => StateOf(_app, id);

    private static string? StateOf(TestApp app, string id)
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(id)?.Name;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex HiddenToken();

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
