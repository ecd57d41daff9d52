using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>Function stacks through the REST API: definitions, versions, and the shipped examples on real workers.</summary>
public sealed class FunctionStackApiTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    private static JsonObject Document(string response, int sleepMs = 0) => JsonNode.Parse($$"""
        {
          "description": "A test stack.",
          "inputs": [ { "name": "who", "type": "text", "default": "world" } ],
          "stack": [
            { "sleep": {{sleepMs}} },
            { "var": "greeting", "value": "=`{{response}}, ${$input.who}!`" }
          ],
          "response": { "greeting": "=$var.greeting" }
        }
        """)!.AsObject();

    private async Task<(HttpStatusCode Status, JsonObject Body)> PutAsync(string name, JsonNode document)
    {
        using var response = await _app.CreateClient().PutAsJsonAsync($"/api/functions/{name}", document);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task The_folder_examples_are_loaded_at_start_up_and_listed_with_their_versions()
    {
        var list = JsonNode.Parse(await _app.CreateClient().GetStringAsync(new Uri("/api/functions", UriKind.Relative)))!.AsArray();
        var stacks = list.Where(f => f!["kind"]!.GetValue<string>() == "stack").Select(f => f!["name"]!.GetValue<string>()).ToList();

        Assert.Superset(
            new HashSet<string> { "examples.fan_out_load", "examples.notify_all", "examples.notify_one", "examples.process_upload", "examples.start_upload_processing" },
            stacks.ToHashSet());
        var one = await _app.GetAsync("/api/functions/examples.fan_out_load");
        Assert.Equal(1, one["version"]!.GetValue<int>());
        Assert.Equal("examples.fan_out_load", one["definition"]!["name"]!.GetValue<string>());
        Assert.Equal("ids", one["inputs"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fan_out_example_runs_async_children_and_merges_their_outputs()
    {
        var id = await _app.StartAsync("examples.fan_out_load", new { ids = new[] { 7, 3, 5 }, delayMs = 50 });
        var awaited = await _app.AwaitAsync([id]);

        var result = awaited["results"]![0]!;
        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Equal(3, result["output"]!["count"]!.GetValue<int>());
        Assert.Equal("user 5", result["output"]!["users"]!["5"]!["name"]!.GetValue<string>());
        var children = await _app.GetAsync($"/api/executions?parentId={id}");
        Assert.Equal(3, children["items"]!.AsArray().Count);
        Assert.All(children["items"]!.AsArray(), c => Assert.Equal("examples.echo", c!["function"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Fan_out_example_awaits_inside_a_sync_run()
    {
        var output = await _app.PostAsync(
            "/api/functions/examples.fan_out_load/executions",
            new { input = new { ids = new[] { 1, 2 }, delayMs = 0 }, mode = "sync" },
            HttpStatusCode.OK);

        Assert.Equal(2, output["output"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Upload_endpoint_answers_with_the_execution_id_and_the_child_finishes_with_logs()
    {
        var rows = new object[] { new { email = "a@example.com" }, new { name = "no email" } };
        var started = await _app.PostAsync(
            "/api/functions/examples.start_upload_processing/executions",
            new { input = new { uploadId = "u-1", rows }, mode = "sync" },
            HttpStatusCode.OK);
        var childId = started["output"]!["executionId"]!.GetValue<string>();

        var awaited = await _app.AwaitAsync([childId]);
        Assert.Equal("""{"uploadId":"u-1","valid":1,"invalidRows":[1]}""", awaited["results"]![0]!["output"]!.ToJsonString());
        var child = await _app.GetAsync($"/api/executions/{childId}");
        Assert.Equal(started["id"]!.GetValue<string>(), child["parentId"]!.GetValue<string>());
        Assert.Equal("examples.process_upload", child["function"]!.GetValue<string>());
        Assert.Contains(child["logs"]!.AsArray(), l => l!["message"]!.GetValue<string>().StartsWith("processing upload u-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Put_creates_then_keeps_or_bumps_the_version()
    {
        var (created, first) = await PutAsync("tests.versions", Document("Hello"));
        var (same, second) = await PutAsync("tests.versions", Document("Hello"));
        var (changed, third) = await PutAsync("tests.versions", Document("Hi"));

        Assert.Equal((HttpStatusCode.Created, 1), (created, first["version"]!.GetValue<int>()));
        Assert.Equal((HttpStatusCode.OK, 1), (same, second["version"]!.GetValue<int>()));
        Assert.Equal((HttpStatusCode.OK, 2), (changed, third["version"]!.GetValue<int>()));
        var run = await _app.PostAsync("/api/functions/tests.versions/executions", new { input = new { who = "Ada" }, mode = "sync" }, HttpStatusCode.OK);
        Assert.Equal("Hi, Ada!", run["output"]!["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replacing_a_definition_does_not_change_an_execution_already_started()
    {
        await PutAsync("tests.replaced", Document("Version one", sleepMs: 1500));
        var id = await _app.StartAsync("tests.replaced", new { who = "Bob" });
        // Started: running, or in its durable sleep (a sleep over a second suspends the run).
        await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() is "Processing" or "Awaiting");

        var (status, replaced) = await PutAsync("tests.replaced", Document("Version two"));
        Assert.Equal((HttpStatusCode.OK, 2), (status, replaced["version"]!.GetValue<int>()));

        var result = (await _app.AwaitAsync([id]))["results"]![0]!;
        Assert.Equal("Version one, Bob!", result["output"]!["greeting"]!.GetValue<string>());
        Assert.Equal(1, (await _app.GetAsync($"/api/executions/{id}"))["functionVersion"]!.GetValue<int>());
        var next = await _app.PostAsync("/api/functions/tests.replaced/executions", new { input = new { }, mode = "sync" }, HttpStatusCode.OK);
        Assert.Equal("Version two, world!", next["output"]!["greeting"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_attempt_retries_as_the_version_it_runs_says()
    {
        var retrying = JsonNode.Parse("""
            { "retry": { "maxRetries": 2, "delaySeconds": [0] },
              "stack": [ { "sleep": 1000 }, { "throw": "tests.always", "message": "fails every time" } ] }
            """)!;
        await PutAsync("tests.retry_version", retrying);
        var id = await _app.StartAsync("tests.retry_version", new { });
        await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Processing");

        var (status, _) = await PutAsync("tests.retry_version", JsonNode.Parse("""{ "stack": [ { "throw": "tests.never_retried" } ] }""")!);
        Assert.Equal(HttpStatusCode.OK, status);

        var record = await _app.WaitForAsync(id, r => r["status"]!.GetValue<string>() == "Failed");
        Assert.Equal((3, "tests.always", 1), (record["attempts"]!.GetValue<int>(), record["error"]!["code"]!.GetValue<string>(), record["functionVersion"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Put_reports_every_problem_with_its_json_path()
    {
        var document = JsonNode.Parse("""
            {
              "inputs": [ { "name": "x", "type": "integer" } ],
              "stack": [
                { "var": "a", "value": "=1 +" },
                { "call": "tests.nowhere" },
                { "set": "undeclared", "value": 1 },
                { "frobnicate": 1 }
              ],
              "response": "=$var.zz"
            }
            """)!;

        var (status, problem) = await PutAsync("tests.broken", document);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var paths = problem["problems"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()).ToList();
        Assert.Equal(["$.inputs[0].type", "$.stack[0].value", "$.stack[1].call", "$.stack[2].set", "$.stack[3]", "$.response"], paths);
        Assert.NotNull(problem["errors"]!["$.stack[1].call"]);
        await _app.GetAsync("/api/functions/tests.broken", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_refuses_a_name_that_differs_from_the_document()
    {
        var document = Document("Hello");
        document["name"] = "tests.other";

        var (status, problem) = await PutAsync("tests.mismatch", document);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("$.name", problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Csharp_function_names_cannot_be_replaced_or_deleted()
    {
        var (status, problem) = await PutAsync("examples.echo", Document("Hello"));
        using var delete = await _app.CreateClient().DeleteAsync(new Uri("/api/functions/examples.echo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("C# function", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal("code", (await _app.GetAsync("/api/functions/examples.echo"))["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_removes_the_function_but_keeps_its_executions()
    {
        await PutAsync("tests.deleted", Document("Bye"));
        var run = await _app.PostAsync("/api/functions/tests.deleted/executions", new { input = new { }, mode = "sync" }, HttpStatusCode.OK);
        var client = _app.CreateClient();

        using var first = await client.DeleteAsync(new Uri("/api/functions/tests.deleted", UriKind.Relative));
        using var second = await client.DeleteAsync(new Uri("/api/functions/tests.deleted", UriKind.Relative));

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound), (first.StatusCode, second.StatusCode));
        await _app.GetAsync("/api/functions/tests.deleted", HttpStatusCode.NotFound);
        await _app.PostAsync("/api/functions/tests.deleted/executions", new { input = new { } }, HttpStatusCode.NotFound);
        var kept = await _app.GetAsync($"/api/executions/{run["id"]!.GetValue<string>()}");
        Assert.Equal("Succeeded", kept["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failing_stack_answers_422_with_its_error_code()
    {
        var document = JsonNode.Parse("""
            { "stack": [ { "throw": "order.not_found", "message": "=`No order ${$input.id}`", "data": { "id": "=$input.id" } } ] }
            """)!;
        await PutAsync("tests.throws", document);

        var problem = await _app.PostAsync("/api/functions/tests.throws/executions", new { input = new { id = 9 }, mode = "sync" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("order.not_found", problem["error"]!["code"]!.GetValue<string>());
        Assert.Equal("No order 9", problem["detail"]!.GetValue<string>());
    }
}
