using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.PostgreSql;
using AsyncFunctions.Running;
using AsyncFunctions.Storage.Tests.Fixtures;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AsyncFunctions.Storage.Tests.PostgreSql;

/// <summary>
/// How a node's workers fetch jobs from PostgreSQL: one listening connection per node, whose
/// notification wakes the idle workers, and a claim that never waits on a listening connection of
/// its own. Hangfire.PostgreSql's fetch listens for every fetch and cancels that wait once it
/// claimed a job; Npgsql can miss such a cancellation (npgsql/npgsql#5975), and that worker then
/// held the job it claimed, unstarted, until the next enqueue anywhere.
/// </summary>
public sealed class JobFetchTests : IAsyncLifetime
{
    /// <summary>Far longer than any test here: only a notification can wake a waiting worker.</summary>
    private static readonly TimeSpan NeverPoll = TimeSpan.FromMinutes(10);

    /// <summary>A fetch of a job that is already queued takes milliseconds; this is for a busy machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private PostgreSqlTestServer _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgreSqlTestServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync("af_fetch");
    }

    public Task DisposeAsync() => _server.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task Eight_thousand_fetches_of_queued_jobs_each_return_at_once()
    {
        const int Jobs = 8_000;
        const int Loops = 4;
        using var host = await StartHostAsync(workers: 0);
        var storage = host.Services.GetRequiredService<JobStorage>();
        await ExecuteAsync($"INSERT INTO hangfire.jobqueue (jobid, queue) SELECT g, 'default' FROM generate_series(1, {Jobs}) AS g");

        var fetched = new ConcurrentBag<string>();
        var stuck = 0;
        using var stop = new CancellationTokenSource();
        await Task.WhenAll(Enumerable.Range(0, Loops).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < Jobs / Loops; i++)
            {
                var fetch = Task.Run(() =>
                {
                    using var connection = storage.GetConnection();
                    using var job = connection.FetchNextJob(["default"], stop.Token);
                    job.RemoveFromQueue();
                    return job.JobId;
                });
                if (!fetch.Wait(Bound))
                {
                    Interlocked.Increment(ref stuck);
                    continue;
                }

                fetched.Add(fetch.Result);
            }
        })));

        if (stuck > 0)
        {
            // Releases whatever waits for a notification, so the failure does not hang the run.
            await ExecuteAsync("NOTIFY new_job");
        }

        Assert.True(stuck == 0, $"{stuck} of {Jobs} fetches did not return within {Bound.TotalSeconds} s.");
        Assert.Equal(Jobs, fetched.Distinct().Count());
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM hangfire.jobqueue"));
    }

    [Fact]
    public async Task The_first_listed_queue_with_a_job_is_fetched_first_whatever_its_name()
    {
        using var host = await StartHostAsync(workers: 0);
        var storage = host.Services.GetRequiredService<JobStorage>();
        // A backlog in bulk, then three jobs in critical, listed first though its name sorts after bulk.
        await ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue) SELECT g, 'bulk' FROM generate_series(1, 50) AS g");
        await ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue) SELECT g, 'critical' FROM generate_series(101, 103) AS g");

        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            order.Add(await FetchAndRemoveAsync(storage, ["critical", "bulk"]));
        }

        Assert.Equal(["critical:101", "critical:102", "critical:103", "bulk:1", "bulk:2", "bulk:3"], order);
        // Listed the other way round, the same queues give the other order.
        await ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue) VALUES (104, 'critical')");
        Assert.Equal("bulk:4", await FetchAndRemoveAsync(storage, ["bulk", "critical"]));
    }

    [Fact]
    public async Task A_claim_past_the_invisibility_timeout_is_taken_over_once_no_listed_queue_has_an_unclaimed_job()
    {
        using var host = await StartHostAsync(workers: 0);
        var storage = host.Services.GetRequiredService<JobStorage>();
        // A worker that died 2 h ago held job 1 of critical (Hangfire.PostgreSql's invisibility timeout is 30 min);
        // job 2 of critical is claimed and still running; bulk has one unclaimed job.
        await ExecuteAsync("""
            INSERT INTO hangfire.jobqueue (jobid, queue, fetchedat) VALUES
              (1, 'critical', NOW() - INTERVAL '2 hours'), (2, 'critical', NOW()), (3, 'bulk', NULL)
            """);

        Assert.Equal("bulk:3", await FetchAndRemoveAsync(storage, ["critical", "bulk"]));
        Assert.Equal("critical:1", await FetchAndRemoveAsync(storage, ["critical", "bulk"]));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM hangfire.jobqueue WHERE jobid = 2"));

        // The same for a worker of one queue, whose claim has no list to walk.
        await ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue, fetchedat) VALUES (4, 'solo', NOW() - INTERVAL '2 hours'), (5, 'solo', NULL)");
        Assert.Equal("solo:5", await FetchAndRemoveAsync(storage, ["solo"]));
        Assert.Equal("solo:4", await FetchAndRemoveAsync(storage, ["solo"]));
    }

    [Fact]
    public async Task A_fetch_passes_over_a_job_another_fetch_is_claiming_to_the_next_job_of_the_same_queue()
    {
        using var host = await StartHostAsync(workers: 0);
        var storage = host.Services.GetRequiredService<JobStorage>();
        await ExecuteAsync("INSERT INTO hangfire.jobqueue (jobid, queue) VALUES (1, 'critical'), (2, 'critical'), (3, 'bulk')");

        await using (var claiming = new NpgsqlConnection(_connectionString))
        {
            // Another fetcher is claiming critical's first job right now.
            await claiming.OpenAsync();
            await using var transaction = await claiming.BeginTransactionAsync();
            await using (var lockFirst = new NpgsqlCommand("SELECT id FROM hangfire.jobqueue WHERE jobid = 1 FOR UPDATE", claiming, transaction))
            {
                await lockFirst.ExecuteScalarAsync();
            }

            Assert.Equal("critical:2", await FetchAndRemoveAsync(storage, ["critical", "bulk"]));
            await transaction.RollbackAsync();
        }

        Assert.Equal("critical:1", await FetchAndRemoveAsync(storage, ["critical", "bulk"]));
        Assert.Equal("bulk:3", await FetchAndRemoveAsync(storage, ["critical", "bulk"]));
    }

    [Fact]
    public async Task A_node_listens_for_new_jobs_on_one_connection_however_many_workers_idle()
    {
        using var host = await StartHostAsync(workers: 6);
        var count = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN new_job'";
        var deadline = DateTime.UtcNow + Bound;
        while (await ScalarAsync($"{count} AND application_name = '{JobArrivalListenerName}'") != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "The node's job listener never listened.");
            await Task.Delay(50);
        }

        // The workers are idle now; Hangfire.PostgreSql's fetch would have each of them listen too.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(1L, await ScalarAsync(count));
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_burst_enqueued_in_one_transaction_wakes_as_many_waiting_fetches_as_it_has_jobs()
    {
        const int Fetchers = 4;
        // One worker of the node's own serves another queue: a ring must still reach every group.
        using var host = await StartHostAsync(workers: 1, ("AsyncFunctions:Server:Queues:0", "elsewhere"));
        var storage = host.Services.GetRequiredService<JobStorage>();
        await WaitForJobListenerAsync();

        // Each fetcher takes one job and keeps it: one notification for four jobs must wake all
        // four, though one woken fetcher would otherwise have taken them one after another.
        var count = await FetchersWokenByOneNotificationAsync(
            storage,
            ["burst"],
            Fetchers,
            $"INSERT INTO hangfire.jobqueue (jobid, queue) SELECT g, 'burst' FROM generate_series(1, {Fetchers}) AS g; NOTIFY new_job;");

        Assert.True(count == Fetchers, $"{count} of {Fetchers} jobs were fetched; the rest waited for a poll.");
    }

    [Fact]
    public async Task A_burst_over_several_listed_queues_wakes_a_waiting_fetch_for_each_job()
    {
        const int Fetchers = 3;
        // The node's one worker serves another queue; it is there so that the node listens for jobs.
        using var host = await StartHostAsync(workers: 1, ("AsyncFunctions:Server:Queues:0", "elsewhere"));
        var storage = host.Services.GetRequiredService<JobStorage>();
        await WaitForJobListenerAsync();

        // One notification for a job in each of three queues: each claim sees the jobs still
        // waiting in the queues listed after its own and wakes the next fetcher for them.
        var count = await FetchersWokenByOneNotificationAsync(
            storage,
            ["critical", "default", "bulk"],
            Fetchers,
            "INSERT INTO hangfire.jobqueue (jobid, queue) VALUES (1, 'bulk'), (2, 'default'), (3, 'critical'); NOTIFY new_job;");

        Assert.True(count == Fetchers, $"{count} of {Fetchers} jobs were fetched; the rest waited for a poll.");
    }

    [Fact]
    public async Task Executions_start_on_idle_workers_through_the_notification_alone()
    {
        using var host = await StartHostAsync(workers: 4);
        await WaitForJobListenerAsync();
        var executions = host.Services.GetRequiredService<IExecutionService>();
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await executions.StartAsync(new StartRequest("t.echo", new JsonObject { ["i"] = i }))).Id);
        }

        var store = host.Services.GetRequiredService<IExecutionStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var id in ids)
        {
            while ((await store.GetAsync(id))?.Status is not ExecutionStatus.Succeeded)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{id} did not succeed; with no poll only the notification starts it.");
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Without_long_polling_a_node_s_own_starts_reach_its_idle_workers_once_committed()
    {
        // No listener and no poll within the test: only the node's own commit can wake a worker.
        using var host = await StartHostAsync(workers: 4, p => p.EnableLongPolling = false);
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{JobArrivalListenerName}'"));
        var executions = host.Services.GetRequiredService<IExecutionService>();
        var store = host.Services.GetRequiredService<IExecutionStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var i = 0; i < 10; i++)
        {
            // One at a time: each start must wake a worker of its own, not ride on another's wake-up.
            var id = (await executions.StartAsync(new StartRequest("t.echo", new JsonObject { ["i"] = i }))).Id;
            while ((await store.GetAsync(id))?.Status is not ExecutionStatus.Succeeded)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{id} did not succeed; with no listener and no poll only the node's own commit starts it.");
                await Task.Delay(50);
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fetchers"/> fetches of <paramref name="queues"/>, each keeping the job it
    /// takes, lets them find nothing and wait, runs <paramref name="enqueue"/> (jobs and one
    /// notification) and returns how many of them took a job within the bound.
    /// </summary>
    private async Task<int> FetchersWokenByOneNotificationAsync(JobStorage storage, string[] queues, int fetchers, string enqueue)
    {
        var fetched = new ConcurrentBag<IFetchedJob>();
        using var stop = new CancellationTokenSource();
        var waiting = Enumerable.Range(0, fetchers).Select(_ => Task.Factory.StartNew(() =>
        {
            using var connection = storage.GetConnection();
            try
            {
                fetched.Add(connection.FetchNextJob(queues, stop.Token));
            }
            catch (OperationCanceledException)
            {
                // The test gave up waiting.
            }
        }, TaskCreationOptions.LongRunning)).ToList();
        await Task.Delay(500); // every fetcher found nothing and waits

        await ExecuteAsync(enqueue);
        var deadline = DateTime.UtcNow + Bound;
        while (fetched.Count < fetchers && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var count = fetched.Count;
        await stop.CancelAsync();
        await Task.WhenAll(waiting).WaitAsync(Bound);
        foreach (var job in fetched)
        {
            job.Dispose();
        }

        return count;
    }

    /// <summary>Fetches a job that is queued (so the fetch returns at once) and names it queue:jobid (the tests' job ids are unique).</summary>
    private async Task<string> FetchAndRemoveAsync(JobStorage storage, string[] queues)
    {
        using var stop = new CancellationTokenSource(Bound);
        var jobId = await Task.Run(() =>
        {
            using var connection = storage.GetConnection();
            using var job = connection.FetchNextJob(queues, stop.Token);
            var id = job.JobId;
            return id;
        });
        var queue = await ScalarTextAsync($"SELECT queue FROM hangfire.jobqueue WHERE jobid = {long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)}");
        await ExecuteAsync($"DELETE FROM hangfire.jobqueue WHERE jobid = {long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)}");
        return $"{queue}:{jobId}";
    }

    private async Task<string> ScalarTextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private const string JobArrivalListenerName = "asyncfunctions-job-listener";

    private async Task WaitForJobListenerAsync()
    {
        var deadline = DateTime.UtcNow + Bound;
        while (await ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = '{JobArrivalListenerName}' AND query = 'LISTEN new_job'") != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "The node's job listener never listened.");
            await Task.Delay(50);
        }
    }

    private Task<IHost> StartHostAsync(int workers, params (string Key, string Value)[] settings) => StartHostAsync(workers, _ => { }, settings);

    private async Task<IHost> StartHostAsync(int workers, Action<PostgreSqlProviderOptions> configure, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AsyncFunctions:Server:WorkerCount"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in settings)
        {
            builder.Configuration[key] = value;
        }

        builder.Services.AddAsyncFunctions(o => o
            .UsePostgreSql(_connectionString, p =>
            {
                p.ListenForCompletions = false;
                p.QueuePollInterval = NeverPoll;
                configure(p);
            })
            .AddFunction<Echo>("t.echo"));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class Echo : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult(context.Input?.DeepClone());
    }
}
