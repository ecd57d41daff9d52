using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Hangfire.Startup;

/// <summary>
/// Hangfire keeps one log provider for the whole process. Pointing it at one host's
/// <see cref="ILoggerFactory"/> breaks every later host once that one is disposed (tests and
/// benchmarks run several hosts in one process), so Hangfire logs through this router, which
/// writes to the most recently started host that is still running, or nowhere.
/// </summary>
public sealed class HangfireLogRouter : ILogProvider
{
    public static readonly HangfireLogRouter Instance = new();

    private readonly Lock _gate = new();
    private readonly ConditionalWeakTable<ILoggerFactory, ConcurrentDictionary<string, ILog>> _logs = new();
    private ILoggerFactory[] _factories = [];

    private HangfireLogRouter()
    {
    }

    public void Attach(ILoggerFactory factory)
    {
        lock (_gate)
        {
            _factories = [.. _factories.Where(f => f != factory), factory];
        }
    }

    public void Detach(ILoggerFactory factory)
    {
        lock (_gate)
        {
            _factories = _factories.Where(f => f != factory).ToArray();
        }
    }

    public ILog GetLogger(string name) => new RoutedLog(this, name);

    private bool Log(string name, global::Hangfire.Logging.LogLevel level, Func<string>? message, Exception? exception)
    {
        var factories = Volatile.Read(ref _factories);
        if (factories.Length == 0)
        {
            return false;
        }

        var factory = factories[^1];
        try
        {
            var log = _logs.GetOrCreateValue(factory).GetOrAdd(name, n => new AspNetCoreLogProvider(factory).GetLogger(n));
            return log.Log(level, message, exception);
        }
        catch (ObjectDisposedException)
        {
            Detach(factory);
            return false;
        }
    }

    private sealed class RoutedLog(HangfireLogRouter router, string name) : ILog
    {
        public bool Log(global::Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) =>
            router.Log(name, logLevel, messageFunc, exception);
    }
}
