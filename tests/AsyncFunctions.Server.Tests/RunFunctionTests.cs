using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// runFunction (<c>POST /api/functions/{name}/run</c>) runs inside the request; the start route's
/// older <c>"mode": "sync"</c> keeps answering the same way, so existing callers are not broken.
/// </summary>
public sealed class RunFunctionTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task Run_answers_the_output_and_the_execution_is_recorded()
    {
        var ran = await shared.App.PostAsync("/api/functions/examples.echo/run", new { input = new { value = new[] { 1, 2 } } }, HttpStatusCode.OK);

        Assert.Equal("[1,2]", ran["output"]!.ToJsonString());
        var record = await shared.App.GetAsync($"/api/executions/{ran["id"]!.GetValue<string>()}");
        Assert.Equal("Succeeded", record["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_start_route_still_runs_mode_sync_as_run_does()
    {
        var ran = await shared.App.PostAsync("/api/functions/examples.echo/executions", new { input = new { value = "old" }, mode = "sync" }, HttpStatusCode.OK);

        Assert.Equal("\"old\"", ran["output"]!.ToJsonString());
        Assert.Equal(2, ran.Count);
    }

    [Fact]
    public async Task A_failed_run_is_a_422_problem_naming_the_execution_and_error()
    {
        var problem = await shared.App.PostAsync("/api/functions/examples.fail/run", new { input = new { message = "no" } }, (HttpStatusCode)422);

        Assert.NotNull(problem["executionId"]);
        Assert.NotNull(problem["error"]!["code"]);
    }

    [Fact]
    public async Task Run_refuses_start_only_fields_and_an_idempotency_key()
    {
        var mode = await shared.App.PostAsync("/api/functions/examples.echo/run", new { input = new { value = 1 }, delaySeconds = 5 }, HttpStatusCode.BadRequest);
        Assert.NotNull(mode["errors"]!["$.delaySeconds"]);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/functions/examples.echo/run") { Content = JsonContent.Create(new { input = new { value = 1 } }) };
        request.Headers.Add("Idempotency-Key", "k1");
        using var response = await shared.App.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["Idempotency-Key"]);
    }

    [Fact]
    public async Task A_stack_document_with_name_null_is_saved_under_the_name_in_the_path()
    {
        using var response = await shared.App.CreateClient().PutAsync(
            new Uri("/api/functions/named_by_path", UriKind.Relative),
            new StringContent("""{ "name": null, "description": null, "retry": null, "stack": [], "response": "=1" }""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var saved = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("named_by_path", saved["definition"]!["name"]!.GetValue<string>());
    }
}
