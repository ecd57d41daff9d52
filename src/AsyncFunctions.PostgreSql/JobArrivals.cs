using System.Collections.Concurrent;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Where a node's idle workers wait for a job, grouped by the queues they fetch from (a node's shared
/// workers are one group, each queue with workers of its own another). The node's job listener rings
/// every group once per enqueue notification, which names no queue; a worker that claimed a job with
/// more waiting behind it rings its own group again, so a burst enqueued in one transaction (one
/// notification) still spreads over the workers. Each ring lets one waiting worker of the group (or
/// the next one to wait) look again; a ring nobody waits for is kept, one at most, since a worker
/// always looks once before it waits.
/// </summary>
internal sealed class JobArrivals
{
    private readonly ConcurrentDictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>Lets one worker of every group look.</summary>
    public void Ring()
    {
        foreach (var group in _groups.Values)
        {
            group.Ring();
        }
    }

    /// <summary>Lets one more worker fetching from <paramref name="queues"/> look.</summary>
    public void Ring(string[] queues) => GroupOf(queues).Ring();

    /// <summary>
    /// Waits on the calling (worker's own) thread until its group is rung, <paramref name="timeout"/>
    /// passes or <paramref name="cancellationToken"/> is cancelled; returns whether it was rung.
    /// </summary>
    public bool Wait(string[] queues, TimeSpan timeout, CancellationToken cancellationToken) =>
        GroupOf(queues).Wait(timeout, cancellationToken);

    private Group GroupOf(string[] queues) => _groups.GetOrAdd(string.Join('\n', queues), static _ => new Group());

    private sealed class Group
    {
        private readonly object _gate = new();
        private bool _rung;

        public void Ring()
        {
            lock (_gate)
            {
                _rung = true;
                Monitor.Pulse(_gate);
            }
        }

        public bool Wait(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var cancelled = cancellationToken.Register(static state => ((Group)state!).WakeAll(), this);
            var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            lock (_gate)
            {
                while (!_rung)
                {
                    var left = deadline - Environment.TickCount64;
                    if (left <= 0 || cancellationToken.IsCancellationRequested || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                    {
                        return false;
                    }
                }

                _rung = false;
                return true;
            }
        }

        private void WakeAll()
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}
