using System.Text.Json.Nodes;
using AsyncFunctions.Client;
using AsyncFunctions.Contracts;

namespace MyApp;

public static class StackDefinitions
{
    /// <summary>Saves a function stack (admin key), runs it inside the request, and deletes it.</summary>
    public static async Task<JsonNode?> AddOneAsync(AsyncFunctionsClient functions)
    {
        var saved = await functions.SaveFunctionAsync("add_one", new FunctionDocument
        {
            Description = "Adds one.",
            Inputs = [new JsonObject { ["name"] = "n", ["type"] = "int", ["required"] = true }],
            Stack = [],
            Response = "=$input.n + 1",
        });
        Console.WriteLine($"add_one is at version {saved.Version}");

        var ran = await functions.RunAsync("add_one", new { n = 41 });
        await functions.DeleteFunctionAsync("add_one");
        return ran.Output; // 42
    }
}
