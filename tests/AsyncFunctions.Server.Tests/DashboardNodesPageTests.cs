namespace AsyncFunctions.Server.Tests;

/// <summary>The dashboard's Nodes page on the embedded default, which records no heartbeats (the takeover is shown by the multi-node tests).</summary>
public sealed class DashboardNodesPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task The_navigation_bar_links_to_the_nodes_page_which_says_the_embedded_default_records_no_heartbeats()
    {
        var home = await _app.GetHtmlAsync("/hangfire");
        var nodes = await _app.GetHtmlAsync("/hangfire/nodes");

        Assert.Contains("href=\"/hangfire/nodes\"", home, StringComparison.Ordinal);
        Assert.Contains("records no heartbeats", DashboardPages.Text(nodes, "p", "af-nodes-off"), StringComparison.Ordinal);
        Assert.Equal("No node has recorded a heartbeat.", DashboardPages.Text(nodes, "p", "af-nodes"));
    }
}
