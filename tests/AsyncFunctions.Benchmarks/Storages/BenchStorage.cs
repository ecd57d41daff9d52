using AsyncFunctions.Benchmarks.Hosting;
using AsyncFunctions.Hangfire.DependencyInjection;
using Hangfire;

namespace AsyncFunctions.Benchmarks.Storages;

/// <summary>One storage the benchmark runs on: how ours and raw Hangfire are set up on it.</summary>
public abstract class BenchStorage : IAsyncDisposable
{
    /// <summary>The name used on the command line and in the report.</summary>
    public abstract string Name { get; }

    /// <summary>Storage settings as the report shows them.</summary>
    public abstract string Settings { get; }

    /// <summary>Whether two hosts can share this storage (and so await across nodes).</summary>
    public virtual bool SharedAcrossHosts => false;

    /// <summary>Prepares an empty database for one host (or for a pair of hosts that share it); returns its key.</summary>
    public abstract Task<string> NewDatabaseAsync();

    /// <summary>Points a platform host at <paramref name="database"/>.</summary>
    public abstract void UsePlatform(AsyncFunctionsBuilder builder, string database);

    /// <summary>A fresh Hangfire storage of the same kind and options as the platform's, for raw Hangfire.</summary>
    public abstract JobStorage CreateRawJobStorage(string database);

    /// <summary>Frees <paramref name="database"/> once no host uses it any more (closes pooled connections, drops it).</summary>
    public virtual Task ReleaseDatabaseAsync(string database) => Task.CompletedTask;

    /// <summary>Watches result commits in <paramref name="database"/> from outside the hosts, where the database can tell; null otherwise.</summary>
    public virtual Task<ICommitWatcher?> WatchCommitsAsync(string database) => Task.FromResult<ICommitWatcher?>(null);

    /// <summary>Counts database work in <paramref name="database"/>, when the database exposes it; null otherwise.</summary>
    public virtual IWorkCounter? DatabaseCounter(string database) => null;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
