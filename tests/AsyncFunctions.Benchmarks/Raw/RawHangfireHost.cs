using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Benchmarks.Measuring;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AsyncFunctions.Benchmarks.Raw;

/// <summary>
/// The baseline: plain Hangfire in its own generic host (AddHangfire + a BackgroundJobServer),
/// on its own storage instance of the same kind and options as the platform's, with the same
/// serializer settings and worker count. Jobs are created from a prebuilt <see cref="Job"/>, as ours are.
/// </summary>
public sealed class RawHangfireHost : IJobSide
{
    private static readonly Job NoOpJob = Job.FromExpression<RawJobs>(j => j.NoOp());
    private static readonly Job EchoTemplate = Job.FromExpression<RawJobs>(j => j.Echo(""));
    private readonly IHost _host;
    private readonly IBackgroundJobClient _client;

    private readonly Func<Task>? _onDisposed;
    private readonly JobStorage _storage;

    private RawHangfireHost(JobStorage storage, IHost host, CompletionTracker completions, IWorkCounter? work, Func<Task>? onDisposed)
    {
        _onDisposed = onDisposed;
        _storage = storage;
        _host = host;
        Completions = completions;
        Work = work;
        _client = host.Services.GetRequiredService<IBackgroundJobClient>();
    }

    public string Kind => "raw";

    public CompletionTracker Completions { get; }

    public IWorkCounter? Work { get; }

    public static async Task<RawHangfireHost> StartAsync(JobStorage storage, int workerCount, IWorkCounter? databaseCounter = null, Func<Task>? onDisposed = null)
    {
        var builder = HostSettings.CreateBuilder(new Dictionary<string, string?>());
        var services = builder.Services;
        var completions = new CompletionTracker();
        services.AddSingleton(completions);
        services.AddSingleton(storage);
        services.AddSingleton(new RawServerSettings(workerCount));
        services.AddSingleton<CompletionStateFilter>();
        services.AddSingleton<RawFilterProvider>();
        services.AddSingleton<IJobFilterProvider>(sp => sp.GetRequiredService<RawFilterProvider>());
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddTransient<RawJobs>();
        services.AddHostedService<RawServerHostedService>();

        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new RawHangfireHost(storage, host, completions, databaseCounter, onDisposed);
    }

    public string Start(string? payload) => _client.Create(
        payload is null ? NoOpJob : new Job(EchoTemplate.Type, EchoTemplate.Method, payload),
        new EnqueuedState());

    public Task VerifyAsync(IReadOnlyCollection<string> ids)
    {
        var failed = ids.Count(id => !Completions.TryGet(id, out var c) || !c.Succeeded);
        return failed == 0
            ? Task.CompletedTask
            : throw new InvalidOperationException($"{failed} of {ids.Count} raw jobs did not succeed.");
    }

    public Task<string> DescribeAsync(string id) => Task.FromResult(JobStates.Describe(_storage, id));

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

        // Registered as an instance, so the container does not dispose it (ours is built by a factory and is).
        (_storage as IDisposable)?.Dispose();
        if (_onDisposed is not null)
        {
            await _onDisposed().ConfigureAwait(false);
        }
    }
}
