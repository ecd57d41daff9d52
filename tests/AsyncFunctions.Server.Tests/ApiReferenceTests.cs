using System.Net;

namespace AsyncFunctions.Server.Tests;

/// <summary>The interactive reference (/scalar) and the document it shows need a key, as every other endpoint.</summary>
public sealed class ApiReferenceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_reference_page_shows_the_served_document()
    {
        // "/scalar" redirects here; a client drops the Authorization header on a redirect.
        using var response = await shared.App.ClientAs(TestKeys.Viewer).GetAsync(new Uri("/scalar/", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"openapi/v1.json\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/scalar")]
    [InlineData("/openapi/v1.json")]
    public async Task Without_a_key_the_reference_and_the_document_are_401(string path)
    {
        using var response = await shared.App.ClientAs(null).GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Without_configured_keys_a_browser_on_the_machine_reads_both()
    {
        using var app = new TestApp(withKeys: false);
        using var client = app.ClientAs(null);
        using var page = await client.GetAsync(new Uri("/scalar/", UriKind.Relative));
        using var document = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }
}
