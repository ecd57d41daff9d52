using System.Globalization;
using System.Net;

namespace AsyncFunctions.Server.Tests;

/// <summary>The dashboard's Executions page over the results table, sync runs included; and where "Back to site" goes.</summary>
public sealed class DashboardExecutionsPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task The_navigation_bar_links_to_the_executions_page()
    {
        var html = await _app.GetHtmlAsync("/hangfire");

        Assert.Contains("href=\"/hangfire/executions\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_runs_are_listed_and_open_their_own_page_while_async_runs_link_to_their_job()
    {
        var function = await SaveStackAsync();
        var sync = (await _app.PostAsync($"/api/functions/{function}/executions", new { input = new { n = 1 }, mode = "sync" }, HttpStatusCode.OK))["id"]!.GetValue<string>();
        var async = await _app.StartAsync(function, new { n = 2 });
        await _app.AwaitAsync([async]);

        var html = await _app.GetHtmlAsync($"/hangfire/executions?function={function}");

        Assert.Equal([async, sync], DashboardPages.RowIds(html));
        Assert.Contains($"<a class=\"af-open\" href=\"/hangfire/executions/{sync}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"af-open\" href=\"/hangfire/jobs/details/{async}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"af-job\" href=\"/hangfire/jobs/details/{async}\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"<a class=\"af-job\" href=\"/hangfire/jobs/details/{sync}\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_by_status_and_error_code()
    {
        var function = await SaveStackAsync();
        var ok = await _app.StartAsync(function, new { n = 1 });
        var refusedA = await _app.StartAsync(function, new { n = -1 });
        var refusedB = await _app.StartAsync(function, new { n = -2 });
        var odd = await _app.StartAsync(function, new { n = 0 });
        await _app.AwaitAsync([ok, refusedA, refusedB, odd]);

        var failed = DashboardPages.RowIds(await _app.GetHtmlAsync($"/hangfire/executions?function={function}&status=Failed"));
        Assert.Equal([odd, refusedB, refusedA], failed);
        var succeeded = DashboardPages.RowIds(await _app.GetHtmlAsync($"/hangfire/executions?function={function}&status=succeeded"));
        Assert.Equal([ok], succeeded);
        var refused = DashboardPages.RowIds(await _app.GetHtmlAsync($"/hangfire/executions?function={function}&errorCode=dash.negative"));
        Assert.Equal([refusedB, refusedA], refused);
        var refusedAndFailed = DashboardPages.RowIds(await _app.GetHtmlAsync($"/hangfire/executions?function={function}&status=Failed&errorCode=dash.zero"));
        Assert.Equal([odd], refusedAndFailed);
    }

    [Fact]
    public async Task The_status_filter_offers_every_status_including_awaiting()
    {
        var html = await _app.GetHtmlAsync("/hangfire/executions");

        foreach (var status in Enum.GetNames<AsyncFunctions.Executions.ExecutionStatus>())
        {
            Assert.Contains($"<option value=\"{status}\">{status}</option>", html, StringComparison.Ordinal);
        }

        Assert.Contains("<option value=\"Awaiting\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_by_creation_time_from_inclusive_to_exclusive()
    {
        var function = await SaveStackAsync();
        var ids = new List<string>();
        var created = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            var id = await _app.StartAsync(function, new { n = i });
            ids.Add(id);
            await _app.AwaitAsync([id]);
            created.Add((await _app.GetAsync($"/api/executions/{id}"))["createdAt"]!.GetValue<DateTimeOffset>().ToString("o", CultureInfo.InvariantCulture));
        }

        var middle = DashboardPages.RowIds(await _app.GetHtmlAsync($"/hangfire/executions?function={function}&from={Uri.EscapeDataString(created[1])}&to={Uri.EscapeDataString(created[2])}"));
        Assert.Equal([ids[1]], middle);
        var fromSecond = DashboardPages.RowIds(await _app.GetHtmlAsync($"/hangfire/executions?function={function}&from={Uri.EscapeDataString(created[1])}"));
        Assert.Equal([ids[2], ids[1]], fromSecond);
        var beforeSecond = DashboardPages.RowIds(await _app.GetHtmlAsync($"/hangfire/executions?function={function}&to={Uri.EscapeDataString(created[1])}"));
        Assert.Equal([ids[0]], beforeSecond);
    }

    [Fact]
    public async Task Pages_follow_one_another_with_the_filters_kept()
    {
        var function = await SaveStackAsync();
        var ids = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            ids.Add(await _app.StartAsync(function, new { n = i }));
        }

        await _app.AwaitAsync(ids);
        ids.Reverse();

        var first = await _app.GetHtmlAsync($"/hangfire/executions?function={function}&status=Succeeded&limit=2");
        Assert.Equal(ids[..2], DashboardPages.RowIds(first));
        Assert.Null(DashboardPages.Href(first, "af-first"));
        var second = await _app.GetHtmlAsync(DashboardPages.Href(first, "af-next")!);
        Assert.Equal(ids[2..4], DashboardPages.RowIds(second));
        var third = await _app.GetHtmlAsync(DashboardPages.Href(second, "af-next")!);
        Assert.Equal(ids[4..], DashboardPages.RowIds(third));
        Assert.Null(DashboardPages.Href(third, "af-next"));
        Assert.Equal(first, await _app.GetHtmlAsync(DashboardPages.Href(third, "af-first")!), new HtmlIgnoringTimings());
    }

    [Theory]
    [InlineData("status=Finished", "Unknown status")]
    [InlineData("status=4", "Unknown status")]
    [InlineData("from=yesterday", "is not a time for")]
    [InlineData("limit=0", "The limit must be")]
    [InlineData("cursor=not-a-cursor!", "cursor is not valid")]
    public async Task Bad_filters_are_explained_on_the_page(string query, string message)
    {
        var html = await _app.GetHtmlAsync($"/hangfire/executions?{query}");

        Assert.Contains(message, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_sees_the_executions_page()
    {
        var html = await _app.GetHtmlAsync("/hangfire/executions", key: TestKeys.Viewer);

        Assert.Contains("<h1 class=\"page-header\">Executions</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Back_to_site_leads_to_the_sign_in_page_which_answers()
    {
        var html = await _app.GetHtmlAsync("/hangfire/executions");

        Assert.Contains("href=\"/sign-in\"", html, StringComparison.Ordinal);
        var signIn = await _app.GetHtmlAsync("/sign-in");
        Assert.Contains("AsyncFunctions dashboard", signIn, StringComparison.Ordinal);
    }

    /// <summary>A stack that returns n, fails with dash.negative below zero and with dash.zero at zero.</summary>
    private async Task<string> SaveStackAsync()
    {
        var name = $"dash.list{Guid.NewGuid():N}";
        using var response = await _app.CreateClient().PutAsync(new Uri($"/api/functions/{name}", UriKind.Relative), new StringContent("""
            {
              "inputs": [ { "name": "n", "type": "int" } ],
              "stack": [
                { "if": "=$input.n < 0", "then": [ { "throw": "dash.negative" } ] },
                { "if": "=$input.n == 0", "then": [ { "throw": "dash.zero" } ] }
              ],
              "response": "=$input.n"
            }
            """, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return name;
    }

    /// <summary>Two renderings of a page are the same but for Hangfire's generation time in the footer.</summary>
    private sealed class HtmlIgnoringTimings : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => Strip(x) == Strip(y);

        public int GetHashCode(string obj) => Strip(obj).GetHashCode(StringComparison.Ordinal);

        private static string Strip(string? html) =>
            System.Text.RegularExpressions.Regex.Match(html ?? "", "<table class=\"table table-striped af-executions\">.*?</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
    }
}
