using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// An invoker sees only the executions its key started, directly or through their children:
/// another key's execution is 404 to get and to await, and absent from lists.
/// </summary>
public sealed class ExecutionScopingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task An_invoker_cannot_get_list_or_await_another_invokers_execution()
    {
        using var one = _app.ClientAs(TestKeys.Invoker);
        using var two = _app.ClientAs(TestKeys.OtherInvoker);
        var mine = await StartAsync(one, "examples.echo", new { value = "one" });
        var theirs = await StartAsync(two, "examples.echo", new { value = "two" });

        Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(one, mine));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(one, theirs));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(two, mine));

        var listed = await ListAsync(one, "?function=examples.echo&limit=500");
        Assert.Contains(mine, listed);
        Assert.DoesNotContain(theirs, listed);

        var (status, body) = await AwaitAsync(one, [mine, theirs]);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal([theirs], body["ids"]!.AsArray().Select(i => i!.GetValue<string>()));

        (status, _) = await AwaitAsync(one, [mine]);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_child_started_by_another_keys_stack_is_hidden_too()
    {
        using var one = _app.ClientAs(TestKeys.Invoker);
        using var two = _app.ClientAs(TestKeys.OtherInvoker);

        // The stack answers with the id of the child it started (examples.process_upload).
        using var started = await two.PostAsJsonAsync("/api/functions/examples.start_upload_processing/executions", new
        {
            input = new { uploadId = "u-scope", rows = new[] { new { email = "a@example.com" } } },
            mode = "sync",
        });
        var output = await ReadAsync(started, HttpStatusCode.OK);
        var parent = output["id"]!.GetValue<string>();
        var child = output["output"]!["executionId"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(two, child));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOfGetAsync(one, child));
        Assert.Empty(await ListAsync(one, $"?parentId={parent}"));
        Assert.Equal([child], await ListAsync(two, $"?parentId={parent}"));
        Assert.Equal(HttpStatusCode.NotFound, (await AwaitAsync(one, [child])).Status);
        Assert.Equal(HttpStatusCode.OK, (await AwaitAsync(two, [child])).Status);

        // The child carries the caller of its tree.
        var record = await _app.GetAsync($"/api/executions/{child}");
        Assert.Equal(TestKeys.OtherInvokerName, record["caller"]!["key"]!.GetValue<string>());
        Assert.Equal("invoker", record["caller"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invoker_s_stack_cannot_await_another_key_s_execution_either()
    {
        await _app.SaveStackAsync("""
            { "name": "tests.await_given", "inputs": [ { "name": "id", "type": "text", "required": true } ],
              "stack": [ { "await": "=$input.id", "timeoutSeconds": 30, "as": "output" } ],
              "response": "=$var.output" }
            """);

        using var one = _app.ClientAs(TestKeys.Invoker);
        using var two = _app.ClientAs(TestKeys.OtherInvoker);
        var mine = await StartAsync(one, "examples.echo", new { value = "mine" });
        var theirs = await StartAsync(two, "examples.echo", new { value = "theirs" });

        foreach (var mode in new[] { "sync", "async" })
        {
            using var refused = await one.PostAsJsonAsync("/api/functions/tests.await_given/executions", new { input = new { id = theirs }, mode });
            var error = mode == "sync"
                ? (await ReadAsync(refused, HttpStatusCode.UnprocessableEntity))["error"]!
                : (await _app.AwaitAsync([(await ReadAsync(refused, HttpStatusCode.Accepted))["id"]!.GetValue<string>()]))["results"]![0]!["error"]!;
            Assert.Equal("await.unknown_ids", error["code"]!.GetValue<string>());
            Assert.DoesNotContain("theirs", error.ToJsonString(), StringComparison.Ordinal);
        }

        using var allowed = await one.PostAsJsonAsync("/api/functions/tests.await_given/executions", new { input = new { id = mine }, mode = "sync" });
        Assert.Equal("mine", (await ReadAsync(allowed, HttpStatusCode.OK))["output"]!.GetValue<string>());
    }

    [Fact]
    public async Task Admin_and_viewer_see_every_key_s_executions()
    {
        using var one = _app.ClientAs(TestKeys.Invoker);
        var id = await StartAsync(one, "examples.echo", new { value = 1 });

        foreach (var key in new[] { TestKeys.Admin, TestKeys.Viewer })
        {
            using var client = _app.ClientAs(key);
            Assert.Equal(HttpStatusCode.OK, await StatusOfGetAsync(client, id));
            Assert.Contains(id, await ListAsync(client, "?function=examples.echo&limit=500"));
            Assert.Equal(HttpStatusCode.OK, (await AwaitAsync(client, [id])).Status);
        }
    }

    private static async Task<string> StartAsync(HttpClient client, string function, object input)
    {
        using var response = await client.PostAsJsonAsync($"/api/functions/{function}/executions", new { input });
        return (await ReadAsync(response, HttpStatusCode.Accepted))["id"]!.GetValue<string>();
    }

    private static async Task<HttpStatusCode> StatusOfGetAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync(new Uri($"/api/executions/{id}", UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<List<string>> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync(new Uri("/api/executions" + query, UriKind.Relative));
        var page = await ReadAsync(response, HttpStatusCode.OK);
        return page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> AwaitAsync(HttpClient client, string[] ids)
    {
        using var response = await client.PostAsJsonAsync("/api/executions/await", new { ids, timeoutSeconds = 30 });
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
