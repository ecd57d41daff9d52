using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>Outside Development, a parameter that does not bind is still answered with a problem naming it.</summary>
public sealed class ProductionBadRequestTests : IDisposable
{
    private readonly TestApp _app = new(workers: 1, settings: new Dictionary<string, string?> { ["environment"] = "Production" });

    [Theory]
    [InlineData("/api/executions?limit=abc", "limit")]
    [InlineData("/api/executions/x?waitSeconds=soon", "waitSeconds")]
    public async Task A_parameter_that_does_not_bind_is_named(string path, string parameter)
    {
        using var response = await _app.CreateClient().GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, JsonNode.Parse(text)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public void Dispose() => _app.Dispose();
}
