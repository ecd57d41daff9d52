using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AsyncFunctions.Server.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("AsyncFunctions:Storage:Provider", "Oracle", "AsyncFunctions:Storage:Provider")]
    [InlineData("AsyncFunctions:Server:WorkerCount", "-1", "AsyncFunctions:Server:WorkerCount")]
    [InlineData("AsyncFunctions:Server:NodeTimeout", "00:00:04", "AsyncFunctions:Server:NodeTimeout")]
    [InlineData("AsyncFunctions:Server:HeartbeatInterval", "00:00:00", "AsyncFunctions:Server:HeartbeatInterval")]
    [InlineData("AsyncFunctions:Server:Queues:0", "Critical", "AsyncFunctions:Server:Queues:0")]
    [InlineData("AsyncFunctions:Server:Queues:0", "critical:0", "AsyncFunctions:Server:Queues:0")]
    [InlineData("AsyncFunctions:Api:MaxRequestBodyBytes", "0", "AsyncFunctions:Api:MaxRequestBodyBytes")]
    [InlineData("AsyncFunctions:Api:MaxWaitSeconds", "900", "AsyncFunctions:Api:MaxWaitSeconds")]
    [InlineData("AsyncFunctions:Await:PollMinInterval", "00:00:00", "AsyncFunctions:Await:PollMinInterval")]
    [InlineData("AsyncFunctions:Await:MaxIds", "0", "AsyncFunctions:Await:MaxIds")]
    [InlineData("AsyncFunctions:Stacks:Limits:Steps", "0", "AsyncFunctions:Stacks:Limits:Steps")]
    [InlineData("AsyncFunctions:Api:IdempotencyRetention", "00:00:00", "AsyncFunctions:Api:IdempotencyRetention")]
    [InlineData("AsyncFunctions:Retention:Executions", "-00:00:01", "AsyncFunctions:Retention:Executions")]
    [InlineData("AsyncFunctions:Retention:JobExpiration", "31.00:00:00", "AsyncFunctions:Retention:JobExpiration")]
    [InlineData("AsyncFunctions:Retention:BatchSize", "0", "AsyncFunctions:Retention:BatchSize")]
    public void An_invalid_setting_stops_the_start_naming_the_key(string key, string value, string named)
    {
        using var app = new TestApp(settings: new Dictionary<string, string?> { [key] = value });

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.True(Flatten(error).Contains(named, StringComparison.Ordinal), $"The start failed without naming {named}: {error}");
    }

    [Fact]
    public void A_start_that_fails_on_a_setting_names_it_even_when_the_server_would_be_disposed_before_the_start_is_watched()
    {
        // The server's start gets every chance to fail and dispose its services before the
        // factory watches it: the factory waits for that disposal (or for the start to be held).
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var app = new TestApp(
            settings: new Dictionary<string, string?> { ["AsyncFunctions:Server:Queues:0"] = "critical:0" },
            services: services => services.AddSingleton<ILoggerProvider>(_ => new DisposalSignal(disposed)),
            watchStartAfter: disposed.Task);

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.True(Flatten(error).Contains("AsyncFunctions:Server:Queues:0", StringComparison.Ordinal), $"The start failed without naming the setting: {error}");
    }

    [Fact]
    public async Task Zero_workers_make_an_api_only_node()
    {
        using var app = new TestApp(workers: 0);
        var id = await app.StartAsync("examples.echo", new { value = 1 });

        var outcome = await app.AwaitAsync([id], timeoutSeconds: 0.5);

        Assert.False(outcome["completed"]!.GetValue<bool>());
        Assert.Equal("Enqueued", outcome["results"]![0]!["status"]!.GetValue<string>());
    }

    /// <summary>
    /// Made with the host's logging, before any part of its start, and disposed with its
    /// services: so it tells when the host is gone, whichever part of the start failed.
    /// </summary>
    private sealed class DisposalSignal(TaskCompletionSource disposed) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => NullLogger.Instance;

        public void Dispose() => disposed.TrySetResult();
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten))
            : error.Message + (error.InnerException is null ? "" : " | " + Flatten(error.InnerException));
}
