using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The dashboard's buttons post forms; without an anti-forgery token any page the operator opens
/// could post them too. The token lives in the dashboard page, its pair in a cookie.
/// </summary>
public sealed partial class DashboardAntiforgeryTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Requeue = "/hangfire/jobs/failed/requeue";

    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task A_cross_site_post_without_a_token_is_refused_and_requeues_nothing()
    {
        var id = await FailedJobAsync();
        using var client = _app.CreateClient();
        await client.GetStringAsync(new Uri("/hangfire/jobs/failed", UriKind.Relative));

        using var forged = RequeueRequest(id);
        forged.Headers.Add("Origin", "http://evil.example");
        using var response = await client.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Failed", StateOf(id));
        Assert.Equal(1, (await _app.GetAsync($"/api/executions/{id}"))["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_token_without_its_cookie_is_refused()
    {
        var id = await FailedJobAsync();
        var (header, token) = await TokenAsync(_app.CreateClient());

        using var elsewhere = _app.CreateClient();
        using var forged = RequeueRequest(id);
        forged.Headers.Add(header, token);
        using var response = await elsewhere.SendAsync(forged);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Failed", StateOf(id));
    }

    [Fact]
    public async Task A_post_with_the_token_of_the_dashboard_page_requeues_the_job()
    {
        var id = await FailedJobAsync();
        using var client = _app.CreateClient();
        var (header, token) = await TokenAsync(client);

        using var request = RequeueRequest(id);
        request.Headers.Add(header, token);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await _app.WaitForAsync(id, r => r["attempts"]!.GetValue<int>() == 2 && r["status"]!.GetValue<string>() == "Failed");
    }

    private async Task<string> FailedJobAsync()
    {
        var id = await _app.StartAsync("examples.fail", new { message = "stays failed" });
        await _app.AwaitAsync([id]);

        // The record is final a moment before Hangfire's own state follows it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (StateOf(id) != "Failed")
        {
            Assert.True(DateTime.UtcNow < deadline, $"Job {id} never reached Hangfire's Failed state; it is {StateOf(id)}.");
            await Task.Delay(20);
        }

        return id;
    }

    private string? StateOf(string id)
    {
        using var connection = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(id)?.Name;
    }

    private static HttpRequestMessage RequeueRequest(string id) => new(HttpMethod.Post, new Uri(Requeue, UriKind.Relative))
    {
        Content = new FormUrlEncodedContent([new("jobs[]", id)]),
    };

    /// <summary>What the dashboard's script sends with its posts: the header named in the page and the token beside it.</summary>
    private static async Task<(string Header, string Token)> TokenAsync(HttpClient client)
    {
        var page = await client.GetStringAsync(new Uri("/hangfire/jobs/failed", UriKind.Relative));
        var header = CsrfHeader().Match(page);
        var token = CsrfToken().Match(page);
        Assert.True(header.Success && token.Success, "The dashboard page carries no anti-forgery token.");
        return (header.Groups[1].Value, token.Groups[1].Value);
    }

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
