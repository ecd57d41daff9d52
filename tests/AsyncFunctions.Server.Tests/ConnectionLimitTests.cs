using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The server on a PostgreSQL server of its own that accepts only 20 connections: the node stays
/// within its pool under 200 concurrent clients, a database it cannot reach answers 503 with
/// Retry-After (never 500), and a configuration that could exceed the server fails at start-up.
/// </summary>
public sealed class ConnectionLimitTests
{
    private const int ServerConnections = 20;

    /// <summary>A variable nobody sets, so each test gets a throwaway server with the low limit.</summary>
    private const string NoGivenServer = "ASYNCFUNCTIONS_TEST_POSTGRES_LOW_LIMIT";

    [Fact]
    public async Task Two_hundred_clients_on_a_server_of_twenty_connections_get_no_5xx()
    {
        await using var server = await PostgreSqlTestServer.StartAsync(NoGivenServer, durable: false, maxConnections: ServerConnections);
        using var app = await StartAppAsync(server, maxPoolSize: 10, workers: 4);
        var client = app.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(3);

        var answers = new ConcurrentBag<(string Call, HttpStatusCode Status, bool RetryAfter, string Body)>();
        var finished = 0;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            using var started = await client.PostAsJsonAsync(
                new Uri("/api/functions/examples.echo/executions", UriKind.Relative),
                new { input = new { value = i } });
            answers.Add(("start", started.StatusCode, started.Headers.RetryAfter is not null, await started.Content.ReadAsStringAsync()));
            if (started.StatusCode != HttpStatusCode.Accepted)
            {
                return;
            }

            var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            using var awaited = await client.GetAsync(new Uri($"/api/executions/{id}?waitSeconds=60", UriKind.Relative));
            var body = await awaited.Content.ReadAsStringAsync();
            answers.Add(("await", awaited.StatusCode, awaited.Headers.RetryAfter is not null, body));
            if (awaited.StatusCode == HttpStatusCode.OK && JsonNode.Parse(body)!["status"]!.GetValue<string>() == "Succeeded")
            {
                Interlocked.Increment(ref finished);
            }
        })));

        var serverErrors = answers.Where(a => (int)a.Status >= 500).ToList();
        Assert.True(serverErrors.Count == 0, $"{serverErrors.Count} answers of 5xx, first: {serverErrors.FirstOrDefault()}");
        Assert.All(answers.Where(a => a.Call == "start"), a => Assert.True(
            a.Status == HttpStatusCode.Accepted || (a.Status == HttpStatusCode.ServiceUnavailable && a.RetryAfter),
            $"start answered {(int)a.Status}: {a.Body}"));
        Assert.Equal(200, finished);
        Assert.True(RefusedNoClient(server), "the server refused connections: sorry, too many clients already");
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_answers_503_with_retry_after_on_reads_and_starts()
    {
        await using var server = await PostgreSqlTestServer.StartAsync(NoGivenServer, durable: false, maxConnections: ServerConnections);
        using var app = await StartAppAsync(server, maxPoolSize: 10, workers: 2);
        var client = app.CreateClient();
        var id = await app.StartAsync("examples.echo", new { value = 1 });

        await server.StopAsync();

        using var read = await client.GetAsync(new Uri($"/api/executions/{id}", UriKind.Relative));
        using var start = await client.PostAsJsonAsync(new Uri("/api/functions/examples.echo/executions", UriKind.Relative), new { input = new { value = 2 } });
        foreach (var response in new[] { read, start })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage!.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(body)!;
            Assert.Equal(503, problem["status"]!.GetValue<int>());
            Assert.Equal("database_unavailable", problem["code"]!.GetValue<string>());
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Nodes_that_could_open_more_connections_than_the_server_accepts_fail_at_start_naming_the_settings()
    {
        await using var server = await PostgreSqlTestServer.StartAsync(NoGivenServer, durable: false, maxConnections: ServerConnections);

        // 3 nodes x (10 pooled + 1 job listener + 1 completion listener) = 36 > 20.
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var app = await StartAppAsync(server, maxPoolSize: 10, workers: 4, ("AsyncFunctions:Storage:PostgreSql:Nodes", "3"));
        });

        var message = Messages(failure);
        Assert.Contains("AsyncFunctions:Storage:PostgreSql:Nodes", message, StringComparison.Ordinal);
        Assert.Contains("AsyncFunctions:Storage:PostgreSql:MaxPoolSize", message, StringComparison.Ordinal);
        Assert.Contains("AsyncFunctions:Server:WorkerCount", message, StringComparison.Ordinal);
        Assert.Contains("= 36", message, StringComparison.Ordinal);
        Assert.Contains("max_connections 20", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pool_no_larger_than_the_worker_count_fails_at_start()
    {
        await using var server = await PostgreSqlTestServer.StartAsync(NoGivenServer, durable: false, maxConnections: ServerConnections);

        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var app = await StartAppAsync(server, maxPoolSize: 4, workers: 4);
        });

        Assert.Contains("AsyncFunctions:Storage:PostgreSql:MaxPoolSize (4) must exceed AsyncFunctions:Server:WorkerCount (4)", Messages(failure), StringComparison.Ordinal);
    }

    private static async Task<TestApp> StartAppAsync(PostgreSqlTestServer server, int maxPoolSize, int workers, params (string Key, string Value)[] extra)
    {
        var database = await server.CreateDatabaseAsync("af_limits");
        var settings = new Dictionary<string, string?>
        {
            ["AsyncFunctions:Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:AsyncFunctions"] = database,
            ["AsyncFunctions:Storage:PostgreSql:MaxPoolSize"] = maxPoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var app = new TestApp(workers: workers, settings: settings);
        try
        {
            // Starts the host: migrations and the connection check run before the first request.
            using var ready = await app.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server's own log names every client it refused for want of a connection slot.</summary>
    private static bool RefusedNoClient(PostgreSqlTestServer server) =>
        server.LogPath is not { } log || !File.ReadAllText(log).Contains("too many clients", StringComparison.Ordinal);

    private static string Messages(Exception? exception)
    {
        var all = new List<string>();
        for (; exception is not null; exception = exception.InnerException)
        {
            all.Add(exception.Message);
            if (exception is AggregateException aggregate)
            {
                all.AddRange(aggregate.InnerExceptions.Select(e => Messages(e)));
            }
        }

        return string.Join(" | ", all);
    }
}
