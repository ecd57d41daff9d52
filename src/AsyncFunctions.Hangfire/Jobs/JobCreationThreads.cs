using System.Collections.Concurrent;

namespace AsyncFunctions.Hangfire.Jobs;

/// <summary>
/// Threads of their own on which jobs are created. Hangfire's client is synchronous and its
/// state filters run inside it, so creating a job waits for the results-table insert. Done on a
/// thread-pool thread, every concurrent start held one pool thread waiting for work that itself
/// needed the pool; 200 concurrent clients starved it. Callers await a task instead, and only
/// these threads ever wait.
/// </summary>
public sealed class JobCreationThreads : IDisposable
{
    private readonly BlockingCollection<IWork> _queue = [];
    private readonly Thread[] _threads;

    public JobCreationThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Run) { IsBackground = true, Name = $"AsyncFunctions job creation {i + 1}" };
            _threads[i].Start();
        }
    }

    private interface IWork
    {
        void Run();
    }

    /// <summary>
    /// Runs <paramref name="create"/> on one of these threads; a caller that is not a thread-pool
    /// thread (a Hangfire worker, a program's own thread) may wait itself and runs it in place.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> create, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var work = new Work<T>(create);
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            work.Run();
            return work.Task;
        }

        return Enqueue(work);
    }

    /// <summary>
    /// Runs <paramref name="create"/> on one of these threads whatever the caller's thread: how a
    /// batch of creations runs concurrently, as many at once as there are threads.
    /// </summary>
    public Task<T> QueueAsync<T>(Func<T> create) => Enqueue(new Work<T>(create));

    private Task<T> Enqueue<T>(Work<T> work)
    {
        try
        {
            _queue.Add(work, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(JobCreationThreads)));
        }

        return work.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _queue.Dispose();
    }

    private void Run()
    {
        // A plain blocking take: waking these threads must not need the thread pool either.
        foreach (var work in _queue.GetConsumingEnumerable())
        {
            work.Run();
        }
    }

    private sealed class Work<T>(Func<T> create) : IWork
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public void Run()
        {
            try
            {
                _done.SetResult(create());
            }
#pragma warning disable CA1031 // The caller gets whatever the creation threw.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _done.SetException(ex);
            }
        }
    }
}
