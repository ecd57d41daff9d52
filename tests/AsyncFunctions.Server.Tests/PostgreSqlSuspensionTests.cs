using AsyncFunctions.Storage.Tests.Fixtures;
using Npgsql;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The real server on PostgreSQL, where a job's state change and its row's write commit in one
/// transaction: a function stack that awaits suspends (Awaiting), is resumed once when its child
/// finishes, and each execution's final row was committed by the transaction of its job's state.
/// </summary>
public sealed class PostgreSqlSuspensionTests : IAsyncLifetime
{
    private PostgreSqlTestServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync("af_srv_suspend");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task A_suspended_parent_resumes_once_and_every_row_commits_with_its_jobs_state()
    {
        using var app = new TestApp(workers: 4, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:AsyncFunctions"] = _connectionString,
            ["AsyncFunctions:Storage:PostgreSql:RecordInJobTransaction"] = "true",
            ["AsyncFunctions:Execution:ResumeSweepInterval"] = "00:00:00.100",
            ["AsyncFunctions:Await:MaxTimeout"] = "00:10:00",
        });
        await app.SaveStackAsync("""
            { "name": "pg.awaits_gated", "inputs": [ { "name": "gate", "type": "text", "required": true } ],
              "stack": [
                { "call": "tests.gated", "async": true, "input": { "gate": "=$input.gate", "value": 5 }, "as": "child" },
                { "await": "=$var.child", "timeoutSeconds": 600, "as": "out" } ],
              "response": "=$var.out" }
            """);
        var gate = Guid.NewGuid().ToString("N");

        var parent = await app.StartAsync("pg.awaits_gated", new { gate });
        var waiting = await app.WaitForAsync(parent, r => r["status"]!.GetValue<string>() == "Awaiting");
        var child = waiting["waitingFor"]![0]!.GetValue<string>();
        TestFunctions.Gates.Release(gate);
        var result = (await app.AwaitAsync([parent], timeoutSeconds: 120))["results"]![0]!;

        Assert.Equal("Succeeded", result["status"]!.GetValue<string>());
        Assert.Contains("5", result["output"]!.ToJsonString(), StringComparison.Ordinal);
        var record = await app.GetAsync($"/api/executions/{parent}");
        Assert.Equal(1, record["resumes"]!.GetValue<int>());
        Assert.Equal(1, record["attempts"]!.GetValue<int>());
        Assert.Null(record["waitingFor"]);
        foreach (var id in new[] { parent, child })
        {
            var (row, job, state) = await TransactionIdsAsync(id);
            Assert.Equal("Succeeded", state);
            Assert.Equal(row, job);
        }
    }

    private Task<(string Row, string Job, string State)> TransactionIdsAsync(string id) => WritingTransactions.ReadAsync(_connectionString, id);
}
