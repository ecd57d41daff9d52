using System.Text.Json.Nodes;
using AsyncFunctions.Contracts;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Client.Tests;

/// <summary>Flow-control fields through the client: limits saved and read back, and a Waiting execution's record parsed.</summary>
public sealed class FlowControlClientTests(ClientApp shared) : IClassFixture<ClientApp>
{
    [Fact]
    public async Task A_limited_stack_is_saved_and_read_back_and_an_execution_over_its_limit_reads_as_Waiting()
    {
        var client = shared.Client();
        var document = new FunctionDocument
        {
            Description = "One at a time per customer.",
            Concurrency = [new ConcurrencyLimitDocument { Limit = 1 }, new ConcurrencyLimitDocument { Limit = 1, Key = "=$input.customer" }],
            HoldWhileAwaiting = true,
            RateLimit = new RateLimitDocument { Limit = 100, PeriodSeconds = 60, Key = "=$input.customer" },
            Stack = [new JsonObject { ["sleep"] = 30000 }],
            Response = "=$input.customer",
        };

        await client.SaveFunctionAsync("client_limited", document);
        var read = await client.GetFunctionAsync("client_limited");
        var first = await client.StartAsync("client_limited", new { customer = "c-1" });
        var second = await client.StartAsync("client_limited", new { customer = "c-1" });
        var waiting = await client.GetAsync(second.Id);
        await client.CancelAsync(second.Id);
        await client.CancelAsync(first.Id);
        await client.DeleteFunctionAsync("client_limited");

        var definition = read.Definition!;
        Assert.Equal(1, definition["concurrency"]![1]!["limit"]!.GetValue<int>());
        Assert.Equal("=$input.customer", definition["concurrency"]![1]!["key"]!.GetValue<string>());
        Assert.True(definition["holdWhileAwaiting"]!.GetValue<bool>());
        Assert.Equal(60, definition["rateLimit"]!["periodSeconds"]!.GetValue<int>());
        Assert.Equal(ExecutionStatus.Waiting, second.Status);
        Assert.Equal(ExecutionStatus.Waiting, waiting.Status);
        Assert.Contains("client_limited", waiting.WaitingForLimit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_document_describes_the_flow_fields_the_Waiting_status_and_waitingForLimit()
    {
        var document = JsonNode.Parse(await shared.App.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;
        var schemas = document["components"]!["schemas"]!;
        var function = schemas["FunctionDocument"]!["properties"]!;
        var record = schemas["ExecutionRecord"]!["properties"]!;

        Assert.Contains("array", function["concurrency"]!["type"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("#/components/schemas/ConcurrencyLimitDocument", function["concurrency"]!["items"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(function["holdWhileAwaiting"]);
        Assert.Equal(["key", "limit"], schemas["ConcurrencyLimitDocument"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["key", "limit", "periodSeconds"], schemas["RateLimitDocument"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Contains("RateLimitDocument", function["rateLimit"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(record["waitingForLimit"]);
        Assert.Contains("Waiting", schemas["ExecutionStatus"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}
