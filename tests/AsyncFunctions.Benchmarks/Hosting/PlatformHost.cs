using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Awaiting;
using AsyncFunctions.Benchmarks.Functions;
using AsyncFunctions.Benchmarks.Measuring;
using AsyncFunctions.Benchmarks.Storages;
using AsyncFunctions.Executions;
using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Hangfire.DependencyInjection;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Storage;
using AsyncFunctions.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AsyncFunctions.Benchmarks.Hosting;

/// <summary>
/// AsyncFunctions hosted in-process through the generic host, exactly as <c>AddAsyncFunctions</c>
/// sets it up, plus two observers: a completion publisher that records when result rows become
/// visible, and a dialect wrapper that counts connections and writes.
/// </summary>
public sealed class PlatformHost : IJobSide
{
    private readonly IHost _host;
    private readonly IExecutionStore _store;

    private readonly Func<Task>? _onDisposed;

    private PlatformHost(IHost host, CompletionTracker completions, IWorkCounter? work, Func<Task>? onDisposed)
    {
        _onDisposed = onDisposed;
        _host = host;
        Completions = completions;
        Work = work;
        Executions = host.Services.GetRequiredService<IExecutionService>();
        _store = host.Services.GetRequiredService<IExecutionStore>();
    }

    public string Kind => "ours";

    public CompletionTracker Completions { get; }

    public IWorkCounter? Work { get; }

    public IExecutionService Executions { get; }

    /// <summary>The results table's dialect as the platform uses it (counted where it could be wrapped).</summary>
    public SqlDialect Dialect => _host.Services.GetRequiredService<SqlDialect>();

    /// <summary>The host's services, for scenarios that drive a part of the platform directly (schedules).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The results table as the platform writes it.</summary>
    public IExecutionStore Store => _store;

    /// <param name="onDisposed">Runs after the host stopped, e.g. to drop its database.</param>
    /// <param name="stacks">
    /// Function-stack documents to save once the host runs; null hosts C# functions only, as the
    /// scenarios before durable await do (no stack function source in the catalog).
    /// </param>
    /// <param name="settings">More configuration keys, e.g. <c>AsyncFunctions:Execution:SuspendWaits</c>.</param>
    /// <param name="configure">Changes to the host's services after <c>AddAsyncFunctions</c> (probes).</param>
    public static async Task<PlatformHost> StartAsync(
        BenchStorage storage,
        string database,
        int workerCount,
        IWorkCounter? databaseCounter = null,
        Func<Task>? onDisposed = null,
        IReadOnlyList<string>? stacks = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool resultsInMemory = false,
        Action<IServiceCollection>? configure = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["AsyncFunctions:Server:WorkerCount"] = workerCount.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = HostSettings.CreateBuilder(configuration);
        var services = builder.Services;
        var completions = new CompletionTracker();
        services.AddSingleton(completions);

        // Registered before AddAsyncFunctions, whose TryAdd calls then keep these.
        if (resultsInMemory)
        {
            // The storage contract's in-memory store (JSON kept as text, as in the database): the
            // platform's own work without the results table's.
            services.AddSingleton<IExecutionStore>(new AsyncFunctions.Core.Tests.InMemoryExecutionStore());
        }

        services.AddSingleton<ICompletionPublisher>(sp => new RecordingCompletionPublisher(sp.GetRequiredService<ExecutionAwaiter>(), completions));
        services.AddSingleton(sp => CountingDialect.TryWrap(sp.GetRequiredService<StorageProvider>().CreateDialect(sp)));

        services.AddAsyncFunctions(o =>
        {
            storage.UsePlatform(o, database);
            o.AddFunction<NoOpFunction>(BenchFunctionNames.NoOp)
                .AddFunction<EchoFunction>(BenchFunctionNames.Echo, EchoFunction.Declare)
                .AddFunction<SleepFunction>(BenchFunctionNames.Sleep, SleepFunction.Declare)
                .AddFunction<FanOutFunction>(BenchFunctionNames.FanOut, FanOutFunction.Declare)
                .AddFunction<ChainFunction>(BenchFunctionNames.Chain, ChainFunction.Declare)
                .AddFunction<FailFunction>(BenchFunctionNames.Fail, f => f.Retries(FailFunction.Retries, 0));
        });
        if (stacks is not null)
        {
            // No function folder: the documents are saved below, through the same path as PUT /api/functions.
            services.AddFunctionStacks(o => o.Folder = null);
        }

        configure?.Invoke(services);

        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        foreach (var document in stacks ?? [])
        {
            var node = JsonNode.Parse(document)!;
            await host.Services.GetRequiredService<StackDefinitions>().SaveAsync(node["name"]!.GetValue<string>(), node).ConfigureAwait(false);
        }

        var dialect = host.Services.GetRequiredService<SqlDialect>() as CountingDialect;
        IWorkCounter? work = (databaseCounter, dialect) switch
        {
            ({ } inDatabase, { } counted) => new CombinedCounter(counted, inDatabase),
            (null, { } counted) => counted,
            _ => databaseCounter,
        };
        return new PlatformHost(host, completions, work, onDisposed);
    }

    public string Start(string? payload) => StartAsync(
        payload is null ? BenchFunctionNames.NoOp : BenchFunctionNames.Echo,
        payload is null ? [] : new JsonObject { ["value"] = payload }).GetAwaiter().GetResult();

    public async Task<string> StartAsync(string function, JsonObject input)
    {
        var record = await Executions.StartAsync(new StartRequest(function, input)).ConfigureAwait(false);
        return record.Id;
    }

    /// <summary>The execution's record in the results table (its status, resumes, ...); this read is counted like any other.</summary>
    public Task<ExecutionRecord?> GetRecordAsync(string id) => _store.GetAsync(id);

    public async Task VerifyAsync(IReadOnlyCollection<string> ids)
    {
        var notSucceeded = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            var results = await _store.GetResultsAsync(chunk).ConfigureAwait(false);
            notSucceeded += chunk.Count(id => !results.TryGetValue(id, out var r) || r.Status != ExecutionStatus.Succeeded);
        }

        if (notSucceeded > 0)
        {
            throw new InvalidOperationException($"{notSucceeded} of {ids.Count} executions are not Succeeded in the results table.");
        }
    }

    public async Task<string> DescribeAsync(string id)
    {
        var record = await _store.GetAsync(id).ConfigureAwait(false);
        var row = record is null ? "no results row" : $"results row {record.Status}, attempts {record.Attempts}, started {record.StartedAt:HH:mm:ss.fff}, completed {record.CompletedAt:HH:mm:ss.fff}";
        var queue = _host.Services.GetService<AsyncFunctions.Storage.PostgreSql.PostgreSqlDialect>() is { } postgres
            ? "; " + await PostgresJobDetails.DescribeAsync(postgres.ConnectionString, id).ConfigureAwait(false)
            : "";
        return $"{row}; {JobStates.Describe(_host.Services.GetRequiredService<global::Hangfire.JobStorage>(), id)}{queue}";
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }

        if (_onDisposed is not null)
        {
            await _onDisposed().ConfigureAwait(false);
        }
    }
}
