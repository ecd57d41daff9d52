using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The dashboard in a real browser, as an operator uses it: sign in with a key, open the
/// Executions page, filter, open a job's page and read its execution panel, go "Back to site".
/// Skipped, with the reason, when no Chromium is installed.
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private const string Hostile = "<script>window.__injected = true</script><img src=x onerror=\"window.__injected = true\">";

    private readonly string? _chromium = SystemChromium.Find();
    private TestApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _baseUrl = "";

    public async Task InitializeAsync()
    {
        if (_chromium is null)
        {
            return;
        }

        var port = FreePort();
        _baseUrl = $"http://127.0.0.1:{port}";
        _app = new TestApp();
        _app.UseKestrel(port);
        _app.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = _chromium, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _app?.Dispose();
    }

    [SkippableFact]
    public async Task An_operator_finds_a_failed_execution_and_reads_its_panel()
    {
        Skip.If(_chromium is null, SystemChromium.SkipReason);
        var app = _app!;
        var function = $"dash.browser{Guid.NewGuid():N}";
        using (var saved = await app.CreateClient().PutAsync(new Uri($"/api/functions/{function}", UriKind.Relative), new StringContent("""
            {
              "inputs": [ { "name": "note", "type": "text" } ],
              "stack": [
                { "log": "=`checking ${$input.note}`", "data": { "note": "=$input.note" } },
                { "throw": "dash.refused", "message": "=`refused ${$input.note}`", "data": { "note": "=$input.note" } }
              ]
            }
            """, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        }

        var failed = await app.StartAsync(function, new { note = Hostile });
        await app.AwaitAsync([failed]);
        var sync = (await app.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = Hostile }, mode = "sync" }, HttpStatusCode.OK))["id"]!.GetValue<string>();

        var page = await SignInAsync(TestKeys.Viewer);

        // The Executions page, from the navigation bar, filtered by function and status.
        await page.ClickAsync("a:has-text('Executions')");
        await page.FillAsync("input[name=function]", function);
        await page.SelectOptionAsync("select[name=status]", "Failed");
        await page.ClickAsync("button:has-text('Filter')");
        var rows = page.Locator("tr.af-row");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(failed, await rows.First.GetAttributeAsync("data-id"));
        Assert.Equal("dash.refused", await rows.First.Locator("code").InnerTextAsync());

        // Its row opens the job's page, where the panel shows the record as text.
        await rows.First.Locator("a.af-open").ClickAsync();
        Assert.EndsWith($"/hangfire/jobs/details/{failed}", page.Url, StringComparison.Ordinal);
        Assert.Equal("Failed", await page.InnerTextAsync(".af-execution .af-status"));
        Assert.Equal("dash.refused", await page.InnerTextAsync(".af-execution .af-error-code"));
        Assert.Equal("refused " + Hostile, await page.InnerTextAsync(".af-execution .af-error-message"));
        Assert.Contains(Hostile.Replace("\"", "\\\"", StringComparison.Ordinal), await page.InnerTextAsync(".af-execution pre.af-input"), StringComparison.Ordinal);
        Assert.Equal("checking " + Hostile, await page.InnerTextAsync(".af-execution .af-log-message"));
        Assert.Equal($"{_baseUrl}/api/executions/{failed}", await page.InnerTextAsync(".af-execution .af-rest-url"));
        Assert.Equal(0, await page.Locator(".af-execution img, .af-execution script").CountAsync());
        Assert.False(await page.EvaluateAsync<bool>("() => window.__injected === true"));

        // A sync run has no job: the page lists it and opens its own page.
        await page.GotoAsync($"{_baseUrl}/hangfire/executions?function=examples.echo");
        await page.Locator($"tr.af-row[data-id='{sync}'] a.af-open").ClickAsync();
        Assert.EndsWith($"/hangfire/executions/{sync}", page.Url, StringComparison.Ordinal);
        Assert.Equal("Succeeded", await page.InnerTextAsync(".af-execution .af-status"));
        Assert.False(await page.EvaluateAsync<bool>("() => window.__injected === true"));

        // "Back to site" is the sign-in page: who is signed in, sign out, back to the dashboard.
        await page.ClickAsync("a:has-text('Back to site')");
        Assert.EndsWith("/sign-in", page.Url, StringComparison.Ordinal);
        Assert.Contains($"Signed in as {TestKeys.ViewerName} (viewer)", await page.InnerTextAsync("body"), StringComparison.Ordinal);
    }

    /// <summary>Signs in on the sign-in page, as an operator does, and lands on the dashboard.</summary>
    private async Task<IPage> SignInAsync(string key)
    {
        var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync($"{_baseUrl}/sign-in");
        Assert.Equal(200, response!.Status);
        await page.FillAsync("input[name=key]", key);
        await page.ClickAsync("button:has-text('Sign in')");
        Assert.EndsWith("/hangfire", page.Url, StringComparison.Ordinal);
        return page;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
