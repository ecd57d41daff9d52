using AsyncFunctions.FunctionStacks.Runtime;
using AsyncFunctions.FunctionStacks.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.FunctionStacks.Tests;

public sealed class QueryTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"stacks-query-{Guid.NewGuid():N}.db");

    public QueryTests()
    {
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, note TEXT);
            INSERT INTO users VALUES (1, 'ann', 1.5, NULL), (2, 'bob', 2.0, 'x'), (3, 'cy', 3.25, 'y');
            """;
        command.ExecuteNonQuery();
    }

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _file, Pooling = false }.ToString();

    public void Dispose() => File.Delete(_file);

    private Stacks Configured() => new(o => o.Connections["main"] = new() { Provider = "sqlite", ConnectionString = ConnectionString });

    [Fact]
    public async Task A_query_yields_rows_as_objects_with_bound_parameters()
    {
        var output = await Configured().RunAsync(Stacks.Doc(
            """[ { "query": "SELECT id, name, score, note FROM users WHERE name = @name OR id > @min ORDER BY id", "connection": "main", "parameters": { "name": "=$input.name", "min": 2 }, "as": "rows" } ]""",
            "\"=$var.rows\""), new() { ["name"] = "ann" });
        Assert.Equal("""[{"id":1,"name":"ann","score":1.5,"note":null},{"id":3,"name":"cy","score":3.25,"note":"y"}]""", output!.ToJsonString());
    }

    [Fact]
    public async Task Parameters_are_never_spliced_into_the_sql()
    {
        var output = await Configured().RunAsync(Stacks.Doc(
            """[ { "query": "SELECT count(*) AS n FROM users WHERE name = @name", "connection": "main", "parameters": { "name": "' OR '1'='1" }, "as": "rows" } ]""",
            "\"=$var.rows[0].n\""));
        Assert.Equal(0, output!.GetValue<int>());
    }

    [Fact]
    public async Task Array_parameters_expand_for_in_lists_and_writes_work()
    {
        var output = await Configured().RunAsync(Stacks.Doc(
            """
            [ { "query": "UPDATE users SET note = @note WHERE id IN @ids", "connection": "main", "parameters": { "note": "z", "ids": [1, 2] } },
              { "query": "SELECT id FROM users WHERE note = 'z' ORDER BY id", "connection": "main", "as": "rows" } ]
            """,
            "\"=$var.rows.map(r => r.id)\""));
        Assert.Equal("[1,2]", output!.ToJsonString());
    }

    [Fact]
    public async Task Two_columns_with_one_name_are_a_query_error_naming_the_column()
    {
        var output = await Configured().RunAsync(Stacks.Doc(
            """[ { "try": [ { "query": "SELECT u.id, v.id FROM users u JOIN users v ON v.id = u.id", "connection": "main" } ], "catch": [ { "var": "e", "value": "=$var.error" } ] } ]""",
            "\"=$var.e\""));
        Assert.Equal("query.failed", output!["code"]!.GetValue<string>());
        Assert.Equal("id", output["data"]!["column"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_result_larger_than_a_variable_stops_at_the_limit()
    {
        var stacks = new Stacks(o =>
        {
            o.Connections["main"] = new() { Provider = "sqlite", ConnectionString = ConnectionString };
            o.Limits.VariableBytes = 10_000;
        });
        var ex = await Assert.ThrowsAnyAsync<AsyncFunctions.Functions.FunctionException>(() => stacks.RunAsync(Stacks.Doc(
            """[ { "query": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 1000000) SELECT i, 'padding padding' AS p FROM n", "connection": "main", "as": "rows" } ]""")));
        Assert.Equal("limit.variable_size", ex.Code);
        Assert.Contains("stopped at row", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_errors_and_unknown_connections_are_catchable()
    {
        var output = await Configured().RunAsync(Stacks.Doc(
            """
            [ { "var": "codes", "value": [] },
              { "try": [ { "query": "SELECT * FROM nowhere", "connection": "main" } ], "catch": [ { "set": "codes", "op": "push", "value": "=$var.error.code" } ] },
              { "try": [ { "query": "SELECT 1", "connection": "other" } ], "catch": [ { "set": "codes", "op": "push", "value": "=$var.error.code" } ] } ]
            """,
            "\"=$var.codes\""));
        Assert.Equal("""["query.failed","query.unknown_connection"]""", output!.ToJsonString());
    }

    [Fact]
    public async Task Connections_registered_in_code_are_used_by_name()
    {
        var stacks = new Stacks(o => o.ConnectionFactories["coded"] = () => new SqliteConnection(ConnectionString));
        var output = await stacks.RunAsync(Stacks.Doc(
            """[ { "query": "SELECT name FROM users WHERE id = @id", "connection": "coded", "parameters": { "id": 2 }, "as": "rows" } ]""",
            "\"=$var.rows[0].name\""));
        Assert.Equal("bob", output!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_connection_fails_with_its_code()
    {
        var ex = await Assert.ThrowsAsync<StackErrorException>(() => new Stacks().RunAsync(Stacks.Doc("""[ { "query": "SELECT 1", "connection": "main" } ]""")));
        Assert.Equal("query.unknown_connection", ex.Code);
    }
}
