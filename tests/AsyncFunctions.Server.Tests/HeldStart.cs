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
/// own error, naming the setting, is lost. Holding the start here until the factory watches it
/// puts the two threads in the one order that reports the start's error.
/// </para>
/// </summary>
internal sealed class HeldStart
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the host's start reached the hold (it waits there until <see cref="Release"/>).</summary>
    public Task Held => _held.Task;

    /// <summary>Lets the host's start go on; call it once the factory watches the start.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Makes the host's <see cref="IHostLifetime"/>, the first thing its start waits for, wait for <see cref="Release"/> first.</summary>
    public void HoldIn(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IHostLifetime) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("The server's host registers no IHostLifetime to hold its start in.");
        services.Remove(registered);
        services.AddSingleton<IHostLifetime>(sp => new Lifetime(Create(sp, registered), owned: registered.ImplementationInstance is null, this));
    }

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
}
