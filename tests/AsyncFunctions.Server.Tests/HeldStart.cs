using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Holds the start of the server's host until <see cref="TestApp"/> watches it.
/// <para>
/// WebApplicationFactory runs Program on a thread of its own: Program builds its host and goes on
/// to <c>app.Run()</c> while the factory, on the test's thread, wraps the built host and only then
/// reads the host's services to learn when the start completes. A start that fails fast (a bad
/// setting) makes <c>app.Run()</c> dispose the host, services and all; when that happens before
/// the factory reads them, the factory throws "Cannot access a disposed object" and the start's
/// own error, naming the setting, is lost. Holding the start until the factory watches it puts
/// the two threads in the one order that reports the start's error.
/// </para>
/// </summary>
internal sealed class HeldStart
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the host's start reached the hold, where it waits to be released.</summary>
    public Task Held => _held.Task;

    /// <summary>Makes the host's <see cref="IHostLifetime"/>, the first thing its start waits for, wait for the release first.</summary>
    public void HoldIn(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IHostLifetime) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("The server's host registers no IHostLifetime to hold its start in.");
        services.Remove(registered);
        services.AddSingleton<IHostLifetime>(sp => new Lifetime(Create(sp, registered), owned: registered.ImplementationInstance is null, this));
    }

    /// <summary>
    /// The factory's host builder, whose host releases the held start as soon as the factory starts
    /// watching it. With <paramref name="watchAfter"/>, the built host is handed to the factory only
    /// once that completes or the start is held: a test's way to let the server's start go first.
    /// </summary>
    public IHostBuilder ReleasedWhenWatched(IHostBuilder builder, Task? watchAfter) => new Builder(builder, this, watchAfter);

    private void Release() => _released.TrySetResult();

    private static IHostLifetime Create(IServiceProvider services, ServiceDescriptor registered) =>
        (IHostLifetime)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));

    /// <param name="owned">Whether the lifetime was made for this host (not an instance it was handed), so disposing the host disposes it.</param>
    private sealed class Lifetime(IHostLifetime inner, bool owned, HeldStart hold) : IHostLifetime, IDisposable
    {
        public async Task WaitForStartAsync(CancellationToken cancellationToken)
        {
            hold._held.TrySetResult();
            await hold._released.Task.WaitAsync(cancellationToken);
            await inner.WaitForStartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

        public void Dispose()
        {
            if (owned)
            {
                (inner as IDisposable)?.Dispose();
            }
        }
    }

    private sealed class Builder(IHostBuilder inner, HeldStart hold, Task? watchAfter) : IHostBuilder
    {
        public IDictionary<object, object> Properties => inner.Properties;

        public IHost Build()
        {
            var host = inner.Build();
            if (watchAfter is not null)
            {
                Task.WaitAny([watchAfter, hold.Held], TimeSpan.FromMinutes(1));
            }

            return new WatchedHost(host, hold);
        }

        public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, IConfigurationBuilder> configureDelegate) => Chain(inner.ConfigureAppConfiguration(configureDelegate));

        public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) => Chain(inner.ConfigureContainer(configureDelegate));

        public IHostBuilder ConfigureHostConfiguration(Action<IConfigurationBuilder> configureDelegate) => Chain(inner.ConfigureHostConfiguration(configureDelegate));

        public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate) => Chain(inner.ConfigureServices(configureDelegate));

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory)
            where TContainerBuilder : notnull => Chain(inner.UseServiceProviderFactory(factory));

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory)
            where TContainerBuilder : notnull => Chain(inner.UseServiceProviderFactory(factory));

        private Builder Chain(IHostBuilder _) => this;
    }

    private sealed class WatchedHost(IHost inner, HeldStart hold) : IHost, IAsyncDisposable
    {
        public IServiceProvider Services => inner.Services;

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                // The factory's own host reads the server's services and subscribes to the start
                // before its first await, so by the release it watches the start.
                return inner.StartAsync(cancellationToken);
            }
            finally
            {
                hold.Release();
            }
        }

        public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync()
        {
            if (inner is IAsyncDisposable disposable)
            {
                return disposable.DisposeAsync();
            }

            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
