using System.Net;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>Errors carry the platform's words (a type among function, unhandled and platform, and a code), never .NET type names.</summary>
public sealed class ErrorVocabularyTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task A_stack_error_in_a_422_body_and_in_the_record_has_type_function()
    {
        await _app.SaveStackAsync("""{ "name": "vocabulary.stack_error", "stack": [ { "throw": "vocabulary.bad", "message": "bad on purpose" } ], "response": 1 }""");

        using var response = await _app.CreateClient().PostAsync(new Uri("/api/functions/vocabulary.stack_error/executions", UriKind.Relative),
            new StringContent("""{ "mode": "sync" }""", System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var record = await _app.GetAsync($"/api/executions/{JsonNode.Parse(text)!["executionId"]!.GetValue<string>()}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.Equal("function", JsonNode.Parse(text)!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("vocabulary.bad", record["error"]!["code"]!.GetValue<string>());
        Assert.Equal("function", record["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("Exception", record.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unhandled_exception_of_a_csharp_function_has_type_unhandled_and_code_function_error()
    {
        var failed = await _app.PostAsync("/api/functions/tests.unhandled/executions", new { mode = "sync" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("unhandled", failed["error"]!["type"]!.GetValue<string>());
        Assert.Equal("function.error", failed["error"]!["code"]!.GetValue<string>());
        Assert.Equal("broken on purpose", failed["error"]!["message"]!.GetValue<string>());
        Assert.DoesNotContain("InvalidOperationException", failed.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_has_type_platform()
    {
        var id = await _app.StartAsync("tests.slow", new { });
        var record = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Failed");

        Assert.Equal("execution.timeout", record["error"]!["code"]!.GetValue<string>());
        Assert.Equal("platform", record["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/executions?limit=abc", "limit", "whole number")]
    [InlineData("/api/executions/x?waitSeconds=soon", "waitSeconds", "whole number")]
    public async Task A_parameter_that_does_not_bind_is_named_without_dotnet_type_names(string path, string parameter, string expected)
    {
        using var response = await _app.CreateClient().GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Nullable", text, StringComparison.Ordinal);
        Assert.DoesNotContain("int ", text, StringComparison.Ordinal);
        Assert.Contains(expected, JsonNode.Parse(text)!["errors"]![parameter]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
