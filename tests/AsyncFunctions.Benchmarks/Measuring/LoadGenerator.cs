namespace AsyncFunctions.Benchmarks.Measuring;

/// <summary>
/// Issues calls from dedicated threads (like the request threads of a web server), either as
/// fast as they go (closed loop) or on a fixed schedule (open loop). In the open loop every call
/// has a planned start time; a call that starts late because every thread was busy keeps its
/// planned time, so the queueing shows in its latency instead of being hidden.
/// </summary>
public static class LoadGenerator
{
    /// <summary>Runs <paramref name="count"/> calls of <paramref name="call"/>(index, plannedStart); returns when all returned.</summary>
    /// <param name="ratePerSecond">Null for as fast as possible.</param>
    public static void Run(int count, int threads, double? ratePerSecond, Action<int, long> call)
    {
        var next = -1;
        var start = Clock.Now + (long)(0.005 * System.Diagnostics.Stopwatch.Frequency);
        var errors = new List<Exception>();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var planned = ratePerSecond is { } rate ? Clock.After(start, i / rate) : Clock.Now;
                    WaitUntil(planned);
                    call(i, planned);
                }
            }
#pragma warning disable CA1031 // Collected and rethrown on the calling thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                lock (errors)
                {
                    errors.Add(ex);
                }

                Interlocked.Exchange(ref next, count);
            }
        })
        {
            IsBackground = true,
            Name = "bench-load",
        }).ToArray();

        foreach (var worker in workers)
        {
            worker.Start();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        if (errors.Count > 0)
        {
            throw new AggregateException("A call of the load generator failed.", errors);
        }
    }

    private static void WaitUntil(long timestamp)
    {
        while (true)
        {
            var remaining = Clock.Milliseconds(Clock.Now, timestamp);
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > 1.5)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
