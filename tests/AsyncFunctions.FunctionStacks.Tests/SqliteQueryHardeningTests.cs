using System.Diagnostics;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Tests.Support;
using AsyncFunctions.Functions;
using Microsoft.Data.Sqlite;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>A query step touches only its connection's database, within its time and size limits.</summary>
public sealed class SqliteQueryHardeningTests : IDisposable
{
    private const string CountToABillion = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) AS c FROM n";

    private readonly string _folder = Directory.CreateTempSubdirectory("stacks-sqlite-").FullName;

    public SqliteQueryHardeningTests()
    {
        Execute(AppFile, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO users VALUES (1, 'ann'), (2, 'bob');");
        Execute(OtherFile, "CREATE TABLE secrets (id INTEGER PRIMARY KEY, input TEXT NOT NULL); INSERT INTO secrets VALUES (1, 'another execution''s input');");
    }

    private string AppFile => Path.Combine(_folder, "app.db");

    /// <summary>Stands for the platform's results file: a database beside the stack's that the stack must not reach.</summary>
    private string OtherFile => Path.Combine(_folder, "results.db");

    /// <summary>Pooling is left at the driver's default (on), as an administrator would write it.</summary>
    private string PooledConnectionString => new SqliteConnectionStringBuilder { DataSource = AppFile }.ToString();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private Stacks Configured(Action<Hosting.FunctionStacksOptions>? more = null) => new(o =>
    {
        o.Connections["main"] = new() { Provider = "sqlite", ConnectionString = PooledConnectionString };
        more?.Invoke(o);
    });

    private static void Execute(string file, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Runs one query step inside try/catch and yields the caught error (or null when it succeeded).</summary>
    private static async Task<JsonNode?> CaughtErrorAsync(Stacks stacks, string sql, JsonObject? parameters = null)
    {
        var step = new JsonObject { ["query"] = sql, ["connection"] = "main", ["parameters"] = parameters ?? [] };
        var steps = $$"""[ { "var": "e", "value": null }, { "try": [ {{step.ToJsonString()}} ], "catch": [ { "set": "e", "value": "=$var.error" } ] } ]""";
        return await stacks.RunAsync(Stacks.Doc(steps, "\"=$var.e\""));
    }

    [Fact]
    public async Task Attaching_another_database_file_is_denied()
    {
        var error = await CaughtErrorAsync(Configured(), "ATTACH DATABASE @file AS other; SELECT input FROM other.secrets", new() { ["file"] = OtherFile });

        Assert.Equal("query.denied", error?["code"]?.GetValue<string>());
        Assert.Equal("main", error?["data"]?["connection"]?.GetValue<string>());
    }

    [Fact]
    public async Task Attaching_a_new_path_is_denied_and_creates_no_file()
    {
        var target = Path.Combine(_folder, "created-by-attach.db");

        var error = await CaughtErrorAsync(Configured(), $"ATTACH '{target}' AS fresh; CREATE TABLE fresh.t (x)");

        Assert.Equal("query.denied", error?["code"]?.GetValue<string>());
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Vacuum_into_a_file_is_denied_and_writes_nothing()
    {
        var target = Path.Combine(_folder, "copy.db");

        var error = await CaughtErrorAsync(Configured(), $"VACUUM INTO '{target}'");

        Assert.Equal("query.denied", error?["code"]?.GetValue<string>());
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData("VACUUM")]
    [InlineData("DETACH DATABASE main")]
    [InlineData("SELECT name FROM pragma_database_list")]
    public async Task Statements_on_the_connection_itself_are_denied(string sql)
    {
        var error = await CaughtErrorAsync(Configured(), sql);

        Assert.Equal("query.denied", error?["code"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("PRAGMA user_version = 7")]
    [InlineData("PRAGMA writable_schema = ON")]
    [InlineData("PRAGMA journal_mode = OFF")]
    [InlineData("PRAGMA temp_store_directory = '/tmp'")]
    [InlineData("PRAGMA user_version")]
    public async Task Pragma_statements_are_denied(string sql)
    {
        var error = await CaughtErrorAsync(Configured(), sql);

        Assert.Equal("query.denied", error?["code"]?.GetValue<string>());
        Assert.Equal(0L, Scalar(PooledConnectionString, "PRAGMA user_version"));
    }

    [Fact]
    public async Task Loading_an_extension_is_denied()
    {
        var error = await CaughtErrorAsync(Configured(), "SELECT load_extension('libc.so.6')");

        Assert.Equal("query.denied", error?["code"]?.GetValue<string>());
    }

    [Fact]
    public async Task Ordinary_statements_and_schema_reads_still_work()
    {
        var output = await Configured().RunAsync(Stacks.Doc(
            """
            [ { "query": "BEGIN; CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES (@text); COMMIT;", "connection": "main", "parameters": { "text": "hi" } },
              { "query": "SELECT (SELECT text FROM notes) AS text, (SELECT group_concat(name) FROM pragma_table_info('users')) AS columns", "connection": "main", "as": "rows" } ]
            """,
            "\"=$var.rows[0]\""));

        Assert.Equal("""{"text":"hi","columns":"id,name"}""", output!.ToJsonString());
    }

    [Fact]
    public async Task A_cpu_bound_query_stops_at_its_timeout_with_a_catchable_code()
    {
        var watch = Stopwatch.StartNew();
        var output = await Configured().RunAsync(Stacks.Doc(
            $$"""[ { "var": "e", "value": null }, { "try": [ { "query": "{{CountToABillion}}", "connection": "main", "timeoutSeconds": 1 } ], "catch": [ { "set": "e", "value": "=$var.error" } ] } ]""",
            "\"=$var.e\""));

        Assert.Equal("query.timeout", output?["code"]?.GetValue<string>());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the query ran {watch.Elapsed} after a 1 s timeout");
    }

    [Fact]
    public async Task Cancelling_the_execution_stops_a_running_query()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Configured().RunAsync(Stacks.Doc(
            $$"""[ { "query": "{{CountToABillion}}", "connection": "main", "timeoutSeconds": 3600 } ]"""), cancellationToken: cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the query ran {watch.Elapsed} after the execution was cancelled");
    }

    [Fact]
    public async Task A_value_longer_than_a_variable_fails_fast_with_the_size_limit()
    {
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => Configured().RunAsync(Stacks.Doc(
            """[ { "query": "SELECT length(randomblob(900000000)) AS n", "connection": "main" } ]""")));

        Assert.Equal("limit.variable_size", ex.Code);
    }

    [Fact]
    public async Task The_value_length_follows_the_variable_limit()
    {
        var stacks = Configured(o => o.Limits.VariableBytes = 10_000);

        var fits = await stacks.RunAsync(Stacks.Doc("""[ { "query": "SELECT length(zeroblob(9000)) AS n", "connection": "main", "as": "rows" } ]""", "\"=$var.rows[0].n\""));
        var ex = await Assert.ThrowsAnyAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(
            """[ { "query": "SELECT length(printf('%.*c', 20000, 'x')) AS n", "connection": "main" } ]""")));

        Assert.Equal(9000, fits!.GetValue<int>());
        Assert.Equal("limit.variable_size", ex.Code);
    }

    [Fact]
    public async Task A_later_execution_on_the_same_connection_string_sees_nothing_the_earlier_one_left()
    {
        var stacks = Configured();
        await CaughtErrorAsync(stacks, "ATTACH DATABASE @file AS other", new() { ["file"] = OtherFile });
        await stacks.RunAsync(Stacks.Doc("""[ { "query": "CREATE TEMP TABLE leftover (x); INSERT INTO leftover VALUES (1)", "connection": "main" } ]"""));

        var temps = await stacks.RunAsync(Stacks.Doc(
            """[ { "query": "SELECT count(*) AS n FROM sqlite_temp_master", "connection": "main", "as": "rows" } ]""",
            "\"=$var.rows[0].n\""));
        var attached = await CaughtErrorAsync(stacks, "SELECT count(*) FROM other.secrets");

        Assert.Equal(0, temps!.GetValue<int>());
        Assert.Equal("query.failed", attached?["code"]?.GetValue<string>());
        Assert.Contains("no such table", attached?["message"]?.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_registered_in_code_get_the_same_rules()
    {
        var stacks = new Stacks(o => o.ConnectionFactories["main"] = () => new SqliteConnection(PooledConnectionString));

        var error = await CaughtErrorAsync(stacks, "ATTACH DATABASE @file AS other", new() { ["file"] = OtherFile });

        Assert.Equal("query.denied", error?["code"]?.GetValue<string>());
    }

    [Fact]
    public async Task Other_code_using_the_same_connection_string_is_not_restricted()
    {
        await Configured().RunAsync(Stacks.Doc("""[ { "query": "SELECT count(*) FROM users", "connection": "main" } ]"""));

        Assert.Equal(0L, Scalar(PooledConnectionString, "PRAGMA user_version"));
        Assert.Equal(1L, Scalar(PooledConnectionString, $"ATTACH '{OtherFile}' AS other; SELECT count(*) FROM other.secrets"));
    }

    [Theory]
    [InlineData("CREATE TABLE IF NOT EXISTS big (b BLOB)", "big")]
    [InlineData("CREATE TEMP TABLE IF NOT EXISTS big (b BLOB)", "temp.big")]
    public async Task Writes_beyond_the_database_size_limit_fail_with_limit_database_size_and_the_file_stays_small(string create, string table)
    {
        const long limit = 1024 * 1024;
        var stacks = Configured(o => o.Limits.SqliteDatabaseBytes = limit);
        var sql = $"{create}; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO {table} SELECT randomblob(100000) FROM n";

        var ex = await Assert.ThrowsAsync<FunctionException>(() => stacks.RunAsync(Stacks.Doc(
            new JsonArray(new JsonObject { ["query"] = sql, ["connection"] = "main" }).ToJsonString())));

        Assert.Equal("limit.database_size", ex.Code);
        Assert.Contains("$.stack[0]", ex.Message, StringComparison.Ordinal);
        Assert.True(new FileInfo(AppFile).Length <= limit + 64 * 1024, $"The database file grew to {new FileInfo(AppFile).Length} bytes.");

        // Like every limit, try/catch does not catch it.
        var caught = await Assert.ThrowsAsync<FunctionException>(() => CaughtErrorAsync(stacks, sql));
        Assert.Equal("limit.database_size", caught.Code);
    }

    [Fact]
    public async Task Writes_within_the_database_size_limit_succeed()
    {
        var output = await Configured(o => o.Limits.SqliteDatabaseBytes = 1024 * 1024).RunAsync(Stacks.Doc(
            """
            [ { "query": "CREATE TABLE small (b BLOB); INSERT INTO small VALUES (randomblob(100000))", "connection": "main" },
              { "query": "SELECT count(*) AS c FROM small", "connection": "main", "as": "rows" } ]
            """,
            "\"=$var.rows[0].c\""));

        Assert.Equal(1, output!.GetValue<int>());
    }
}
