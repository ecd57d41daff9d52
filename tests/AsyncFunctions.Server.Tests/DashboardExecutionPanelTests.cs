using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The execution panel on a job's page and on an execution's own page: everything the record
/// holds, as text an operator reads, never as markup a caller wrote.
/// </summary>
public sealed class DashboardExecutionPanelTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task A_jobs_page_shows_status_attempts_input_output_and_the_rest_url()
    {
        var id = await _app.StartAsync("examples.echo", new { value = new { order = "A-17", items = 3 } });
        await _app.AwaitAsync([id]);

        var html = await _app.GetHtmlAsync($"/hangfire/jobs/details/{id}");

        Assert.Contains("id=\"af-execution\"", html, StringComparison.Ordinal);
        Assert.Equal("Succeeded", DashboardPages.Text(html, "span", "af-status"));
        Assert.Equal("1", DashboardPages.Text(html, "span", "af-attempts"));
        Assert.Equal("default", DashboardPages.Text(html, "span", "af-queue"));
        var input = JsonNode.Parse(DashboardPages.Text(html, "pre", "af-input")!)!;
        Assert.Equal("A-17", input["value"]!["order"]!.GetValue<string>());
        var output = JsonNode.Parse(DashboardPages.Text(html, "pre", "af-output")!)!;
        Assert.Equal(3, output["items"]!.GetValue<int>());
        Assert.Equal($"http://localhost/api/executions/{id}", DashboardPages.Text(html, "code", "af-rest-url"));
    }

    [Fact]
    public async Task A_failed_execution_shows_its_error_code_message_data_and_logs()
    {
        var function = await SaveRefusingStackAsync();
        var id = await _app.StartAsync(function, new { note = "n-42" });
        await _app.AwaitAsync([id]);

        var html = await _app.GetHtmlAsync($"/hangfire/jobs/details/{id}");

        Assert.Equal("Failed", DashboardPages.Text(html, "span", "af-status"));
        Assert.Equal("dash.refused", DashboardPages.Text(html, "code", "af-error-code"));
        Assert.Equal("refused n-42", DashboardPages.Text(html, "span", "af-error-message"));
        var data = JsonNode.Parse(DashboardPages.Text(html, "pre", "af-error-data")!)!;
        Assert.Equal("n-42", data["note"]!.GetValue<string>());
        Assert.Equal(7, data["n"]!.GetValue<int>());
        Assert.Equal("checking n-42", DashboardPages.Text(html, "td", "af-log-message"));
        Assert.Equal("n-42", JsonNode.Parse(DashboardPages.Text(html, "pre", "af-log-data")!)!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_panel_links_a_parent_to_its_children_and_each_child_to_its_parent()
    {
        var parent = await _app.StartAsync("tests.fanout", new { count = 2 });
        await _app.AwaitAsync([parent]);
        var children = (await _app.GetAsync($"/api/executions?parentId={parent}"))["items"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, children.Count);

        var parentPage = await _app.GetHtmlAsync($"/hangfire/jobs/details/{parent}");
        foreach (var child in children)
        {
            Assert.Contains($"<a class=\"af-child\" href=\"/hangfire/jobs/details/{child}\">{child}</a>", parentPage, StringComparison.Ordinal);
        }

        var childPage = await _app.GetHtmlAsync($"/hangfire/jobs/details/{children[0]}");
        Assert.Equal($"/hangfire/jobs/details/{parent}", DashboardPages.Href(childPage, "af-parent"));
    }

    [Fact]
    public async Task A_child_of_a_sync_run_links_to_the_sync_runs_own_page()
    {
        var started = await _app.PostAsync("/api/functions/examples.start_upload_processing/executions",
            new { input = new { uploadId = "u-dash", rows = new[] { new { email = "a@example.com" } } }, mode = "sync" }, HttpStatusCode.OK);
        var syncId = started["id"]!.GetValue<string>();
        var child = started["output"]!["executionId"]!.GetValue<string>();
        await _app.AwaitAsync([child]);

        var childPage = await _app.GetHtmlAsync($"/hangfire/jobs/details/{child}");
        var parentLink = DashboardPages.Href(childPage, "af-parent");
        Assert.Equal($"/hangfire/executions/{syncId}", parentLink);

        var syncPage = await _app.GetHtmlAsync(parentLink!);
        Assert.Contains("class=\"af-no-job\"", syncPage, StringComparison.Ordinal);
        Assert.Equal("Succeeded", DashboardPages.Text(syncPage, "span", "af-status"));
        Assert.Equal($"/hangfire/jobs/details/{child}", DashboardPages.Href(syncPage, "af-child"));
    }

    [Fact]
    public async Task Hostile_input_output_and_logs_are_shown_as_text()
    {
        const string Hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>";
        var id = await _app.StartAsync("examples.echo", new { value = Hostile });
        await _app.AwaitAsync([id]);
        var function = await SaveRefusingStackAsync();
        var failed = await _app.StartAsync(function, new { note = Hostile });
        await _app.AwaitAsync([failed]);

        foreach (var path in new[] { $"/hangfire/jobs/details/{id}", $"/hangfire/executions/{id}", $"/hangfire/jobs/details/{failed}", $"/hangfire/executions?function={function}" })
        {
            var html = await _app.GetHtmlAsync(path);
            Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        }

        var page = await _app.GetHtmlAsync($"/hangfire/jobs/details/{id}");
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Equal(Hostile, JsonNode.Parse(DashboardPages.Text(page, "pre", "af-input")!)!["value"]!.GetValue<string>());
        var failedPage = await _app.GetHtmlAsync($"/hangfire/jobs/details/{failed}");
        Assert.Equal("refused " + Hostile, DashboardPages.Text(failedPage, "span", "af-error-message"));
        Assert.Equal("checking " + Hostile, DashboardPages.Text(failedPage, "td", "af-log-message"));
    }

    [Fact]
    public async Task An_unknown_execution_has_no_panel_and_its_page_is_404()
    {
        var html = await _app.GetHtmlAsync("/hangfire/executions/no-such-execution", HttpStatusCode.NotFound);
        Assert.Contains("There is no execution with this id.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_viewer_sees_the_panel()
    {
        var id = await _app.StartAsync("examples.echo", new { value = "seen" });
        await _app.AwaitAsync([id]);

        var html = await _app.GetHtmlAsync($"/hangfire/jobs/details/{id}", key: TestKeys.Viewer);

        Assert.Equal("\"seen\"", DashboardPages.Text(html, "pre", "af-output"));
    }

    /// <summary>A stack that logs its input's note and fails with error data.</summary>
    private async Task<string> SaveRefusingStackAsync()
    {
        var name = $"dash.refuse{Guid.NewGuid():N}";
        using var response = await _app.CreateClient().PutAsync(new Uri($"/api/functions/{name}", UriKind.Relative), new StringContent("""
            {
              "inputs": [ { "name": "note", "type": "text" } ],
              "stack": [
                { "log": "=`checking ${$input.note}`", "level": "warning", "data": { "note": "=$input.note" } },
                { "throw": "dash.refused", "message": "=`refused ${$input.note}`", "data": { "note": "=$input.note", "n": 7 } }
              ]
            }
            """, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return name;
    }
}
