using System.Reflection;
using System.Text.Json.Nodes;

namespace AsyncFunctions.Client.Tests;

/// <summary>The client keeps up with the API: every operation of the served OpenAPI document has a method.</summary>
public sealed class EveryOperationTests(ClientApp shared) : IClassFixture<ClientApp>
{
    [Fact]
    public async Task Every_operation_of_the_document_has_a_client_method()
    {
        var document = JsonNode.Parse(await shared.App.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Value!["operationId"]!.GetValue<string>()))
            .ToHashSet(StringComparer.Ordinal);
        var covered = typeof(AsyncFunctionsClient).GetMethods()
            .SelectMany(m => m.GetCustomAttributes<ApiOperationAttribute>())
            .Select(a => a.OperationId)
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(operations);
        var missing = operations.Except(covered).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Operations without a method in AsyncFunctionsClient (add one, marked [ApiOperation(\"id\")]): " + string.Join(", ", missing));
        var stale = covered.Except(operations).Order(StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, "Client methods marked with operations the document does not have: " + string.Join(", ", stale));
    }
}
