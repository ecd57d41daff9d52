using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;
using AsyncFunctions.Storage;
using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// A run of an execution its own node created moments ago starts from the row that node wrote,
/// without reading it back, and only when its start is written as the execution's first (so the
/// row is unchanged); any other run (a retry) reads its row as before. On the embedded storage and
/// on Redis jobs, whose status writes are made in the state filter.
/// </summary>
public sealed class KeptRowRunTests
{
    private static string Status(System.Text.Json.Nodes.JsonObject record) => record["status"]!.GetValue<string>();

    [Fact]
    public async Task Runs_of_executions_this_node_started_read_no_row_before_they_run()
    {
        var reads = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var app = new TestApp(services: services => CountRowReads(services, reads));

        await RunsReadNoRowAsync(app, reads);
    }

    [SkippableFact]
    public async Task Runs_of_executions_this_node_started_read_no_row_before_they_run_on_redis_jobs()
    {
        Skip.IfNot(RedisTestServer.IsAvailable, "redis-server is not installed (tests/test.sh installs it).");
        var reads = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var redis = await RedisTestServer.GetAsync();
        using var app = new TestApp(
            settings: new Dictionary<string, string?>
            {
                ["AsyncFunctions:Storage:Jobs:Provider"] = "Redis",
                ["ConnectionStrings:AsyncFunctionsJobs"] = redis.ConnectionString,
                ["AsyncFunctions:Storage:Jobs:Redis:Prefix"] = $"{{test-{Guid.NewGuid():N}}}:",
                ["AsyncFunctions:Storage:Jobs:Redis:FetchTimeout"] = "00:00:01",
            },
            services: services => CountRowReads(services, reads));

        await RunsReadNoRowAsync(app, reads);
    }

    [Fact]
    public async Task A_retried_attempt_reads_its_row_and_runs_as_the_second_attempt()
    {
        var reads = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var app = new TestApp(services: services => CountRowReads(services, reads));

        var id = await app.StartAsync("tests.flaky", new { });
        var record = await app.WaitForAsync(id, r => Status(r) is "Succeeded" or "Failed");

        Assert.Equal("Succeeded", Status(record));
        Assert.Equal(2, record["attempts"]!.GetValue<int>());
        // What the function saw: its second attempt, read from the row.
        Assert.Equal(2, record["output"]!.GetValue<int>());
        Assert.Equal(1, reads.GetValueOrDefault(id));
    }

    [Fact]
    public async Task A_run_from_a_kept_row_sees_its_input_as_a_read_would()
    {
        var reads = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var app = new TestApp(services: services =>
        {
            CountRowReads(services, reads);
            services.Configure<FunctionRegistry>(r => r.AddFunction<ReadsInt>("tests.reads_int")
                .Input(new InputDeclaration { Name = "n", Type = InputType.Int, Required = true }));
        });

        // The start's validated input holds the int as a long; the row holds JSON text, which reads
        // back as a number any numeric type takes. The run must see the latter.
        var id = await app.StartAsync("tests.reads_int", new { n = 7 });
        var record = await app.WaitForAsync(id, r => Status(r) is "Succeeded" or "Failed");

        Assert.True(Status(record) == "Succeeded", record.ToJsonString());
        Assert.Equal(7, record["output"]!.GetValue<int>());
        Assert.Equal(0, reads.GetValueOrDefault(id));
    }

    /// <summary>Reads its int input as an <see cref="int"/>, as C# functions commonly do.</summary>
    public sealed class ReadsInt : IAsyncFunction
    {
        public Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken) =>
            Task.FromResult<JsonNode?>(JsonValue.Create(context.Input["n"]!.GetValue<int>()));
    }

    private static async Task RunsReadNoRowAsync(TestApp app, ConcurrentDictionary<string, int> reads)
    {
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await app.StartAsync("examples.echo", new { value = i }));
        }

        var outcome = await app.AwaitAsync(ids);

        Assert.True(outcome["completed"]!.GetValue<bool>(), outcome.ToJsonString());
        for (var i = 0; i < ids.Count; i++)
        {
            var result = outcome["results"]![i]!;
            Assert.Equal(("Succeeded", i), (result["status"]!.GetValue<string>(), result["output"]!.GetValue<int>()));
        }

        Assert.Equal(0, ids.Sum(id => reads.GetValueOrDefault(id)));

        // The records are whole: one attempt each, started before it completed.
        foreach (var id in ids)
        {
            var record = await app.GetAsync($"/api/executions/{id}");
            Assert.Equal(1, record["attempts"]!.GetValue<int>());
            Assert.True(record["startedAt"]!.GetValue<DateTimeOffset>() <= record["completedAt"]!.GetValue<DateTimeOffset>());
        }
    }

    /// <summary>
    /// The real store, counting the row reads of each id made on threads outside the thread pool:
    /// a run reads its row on its Hangfire worker thread, before its first await, while the test's
    /// own requests (GET of a record) are served on the thread pool.
    /// </summary>
    private static void CountRowReads(IServiceCollection services, ConcurrentDictionary<string, int> reads) =>
        services.AddSingleton<IExecutionStore>(sp => RowReadCounter.Create(new DapperExecutionStore(sp.GetRequiredService<SqlDialect>()), reads));

    public class RowReadCounter : DispatchProxy
    {
        private IExecutionStore _inner = null!;
        private ConcurrentDictionary<string, int> _reads = null!;

        public static IExecutionStore Create(IExecutionStore inner, ConcurrentDictionary<string, int> reads)
        {
            var proxy = Create<IExecutionStore, RowReadCounter>();
            var counter = (RowReadCounter)(object)proxy;
            (counter._inner, counter._reads) = (inner, reads);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IExecutionStore.GetAsync) && args![0] is string id && !Thread.CurrentThread.IsThreadPoolThread)
            {
                _reads.AddOrUpdate(id, 1, (_, n) => n + 1);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
