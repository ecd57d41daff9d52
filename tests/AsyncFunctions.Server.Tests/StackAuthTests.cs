using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Server.Tests;

/// <summary><c>$auth</c> in a stack is the key name and role of the caller that started the tree; children see the same.</summary>
public sealed class StackAuthTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    [Theory]
    [InlineData(TestKeys.Invoker, TestKeys.InvokerName, "invoker", "async")]
    [InlineData(TestKeys.Admin, TestKeys.AdminName, "admin", "async")]
    [InlineData(TestKeys.Invoker, TestKeys.InvokerName, "invoker", "sync")]
    public async Task Auth_is_the_caller_in_the_stack_and_in_the_child_it_starts(string key, string name, string role, string mode)
    {
        var (parent, child) = await SaveStacksAsync();
        using var client = _app.ClientAs(key);

        using var response = await client.PostAsJsonAsync($"/api/functions/{parent}/executions", new { input = new { }, mode });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var id = JsonNode.Parse(text)!["id"]!.GetValue<string>();
        var output = (await _app.AwaitAsync([id]))["results"]![0]!["output"]!;

        var expected = new JsonObject { ["key"] = name, ["role"] = role };
        Assert.True(JsonNode.DeepEquals(expected, output["auth"]), output.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected, output["childAuth"]), output.ToJsonString());

        var childRecord = await _app.GetAsync($"/api/executions/{output["childId"]!.GetValue<string>()}");
        Assert.Equal(child, childRecord["function"]!.GetValue<string>());
        Assert.Equal(id, childRecord["parentId"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(expected, childRecord["caller"]), childRecord.ToJsonString());
    }

    /// <summary>A parent that starts the child async, awaits it and answers with both <c>$auth</c> values.</summary>
    private async Task<(string Parent, string Child)> SaveStacksAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var child = "auth_child_" + suffix;
        var parent = "auth_parent_" + suffix;
        await SaveAsync(child, new JsonObject { ["stack"] = new JsonArray(), ["response"] = new JsonObject { ["auth"] = "=$auth" } });
        await SaveAsync(parent, JsonNode.Parse($$"""
            {
              "stack": [
                { "call": "{{child}}", "async": true, "input": {}, "as": "childId" },
                { "await": "=[$var.childId]", "timeoutSeconds": 60, "as": "outputs" }
              ],
              "response": { "auth": "=$auth", "childAuth": "=$var.outputs[0].auth", "childId": "=$var.childId" }
            }
            """)!.AsObject());
        return (parent, child);
    }

    private async Task SaveAsync(string name, JsonObject document)
    {
        using var response = await _app.CreateClient().PutAsJsonAsync($"/api/functions/{name}", document);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
