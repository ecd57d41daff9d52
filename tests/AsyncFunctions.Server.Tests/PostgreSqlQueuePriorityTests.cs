using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Running;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A node's <c>Queues</c> setting on PostgreSQL: its shared workers take the queues in the listed
/// order, not in the order of their names (Hangfire.PostgreSql's own fetch sorts queues by name).
/// </summary>
public sealed class PostgreSqlQueuePriorityTests : IAsyncLifetime
{
    private PostgreSqlTestServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync("af_srv_priority");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task The_shared_workers_take_the_queues_in_the_listed_order_on_postgresql()
    {
        // "critical" is listed first though "bulk" sorts before it.
        using var app = new TestApp(workers: 1, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:AsyncFunctions"] = _connectionString,
            ["AsyncFunctions:Server:Queues:0"] = "critical",
            ["AsyncFunctions:Server:Queues:1"] = "bulk",
        }, services: Register);
        var gate = Guid.NewGuid().ToString("N");
        // The one worker is held while both queues fill: a backlog in bulk first, then critical.
        var blocker = await app.StartAsync("priority.bulk_gated", new { gate });
        await app.WaitForAsync(blocker, r => r["status"]!.GetValue<string>() == "Processing");
        var bulk = new List<string>();
        var critical = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            bulk.Add(await app.StartAsync("priority.bulk", new { value = i }));
        }

        for (var i = 0; i < 3; i++)
        {
            critical.Add(await app.StartAsync("priority.critical", new { value = i }));
        }

        TestFunctions.Gates.Release(gate);
        var outcome = await app.AwaitAsync([.. bulk, .. critical], timeoutSeconds: 120);
        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());

        var records = await Task.WhenAll(bulk.Concat(critical).Select(id => app.GetAsync($"/api/executions/{id}")));
        var order = records.OrderBy(r => r["startedAt"]!.GetValue<DateTimeOffset>()).Select(r => r["queue"]!.GetValue<string>()).ToList();
        Assert.Equal(["critical", "critical", "critical", "bulk", "bulk", "bulk", "bulk", "bulk"], order);
    }

    private static void Register(IServiceCollection services) => services.Configure<FunctionRegistry>(registry =>
    {
        registry.AddFunction<TestFunctions.Gated>("priority.bulk_gated").InQueue("bulk");
        registry.AddFunction<Echo>("priority.bulk").InQueue("bulk");
        registry.AddFunction<Echo>("priority.critical").InQueue("critical");
    });

    private sealed class Echo : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(context.Input["value"]?.DeepClone());
    }
}
