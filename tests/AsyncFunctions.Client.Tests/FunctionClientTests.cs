using System.Text.Json.Nodes;
using AsyncFunctions.Contracts;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Client.Tests;

/// <summary>Function definitions through the client: list, read, save (a new version each time) and delete.</summary>
public sealed class FunctionClientTests(ClientApp shared) : IClassFixture<ClientApp>
{
    [Fact]
    public async Task A_stack_is_saved_listed_read_run_and_deleted()
    {
        var client = shared.Client();
        var document = new FunctionDocument
        {
            Description = "Adds one.",
            Inputs = [new JsonObject { ["name"] = "n", ["type"] = "int", ["required"] = true }],
            Stack = [],
            Response = "=$input.n + 1",
        };

        var created = await client.SaveFunctionAsync("client_add_one", document);
        var replaced = await client.SaveFunctionAsync("client_add_one", document with { Description = "Adds one, again." });
        var listed = await client.ListFunctionsAsync();
        var read = await client.GetFunctionAsync("client_add_one");
        var started = await client.StartAsync("client_add_one", new { n = 41 });
        var finished = await client.GetAsync(started.Id, waitSeconds: 30);
        await client.DeleteFunctionAsync("client_add_one");
        var gone = await Assert.ThrowsAsync<AsyncFunctionsProblemException>(() => client.GetFunctionAsync("client_add_one"));

        Assert.Equal(1, created.Version);
        Assert.Equal(2, replaced.Version);
        Assert.Contains(listed, f => f.Name == "client_add_one" && f.Kind == "stack");
        Assert.Equal("n", Assert.Single(read.Inputs).Name);
        Assert.NotNull(read.Definition);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
        Assert.Equal("42", finished.Output!.ToJsonString());
        Assert.Equal(404, gone.Status);
    }
}
