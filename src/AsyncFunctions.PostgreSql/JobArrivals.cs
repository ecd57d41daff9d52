using System.Collections.Concurrent;
using System.Transactions;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Where a node's idle workers wait for a job, grouped by the queues they fetch from (a node's shared
/// workers are one group, each queue with workers of its own another). The node's job listener rings
/// every group once per enqueue notification, which names no queue; a worker that claimed a job with
/// more waiting behind it rings its own group again, so a burst enqueued in one transaction (one
/// notification) still spreads over the workers. Each ring lets one waiting worker of the group (or
/// the next one to wait) look again; a ring nobody waits for is kept, one at most, since a worker
/// always looks once before it waits. Only one waiter of a group polls on the interval.
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
    /// Lets one worker of every group that fetches from one of <paramref name="queues"/> look, once
    /// the jobs this node enqueued there are committed: at once, or, inside an ambient transaction
    /// (which the enqueue joined), when that transaction commits; never when it rolls back.
    /// </summary>
    public void RingAfterCommit(IReadOnlyCollection<string> queues)
    {
        if (Transaction.Current is { } ambient)
        {
            ambient.TransactionCompleted += (_, completed) =>
            {
                if (completed.Transaction?.TransactionInformation.Status == TransactionStatus.Committed)
                {
                    RingGroupsOf(queues);
                }
            };
            return;
        }

        RingGroupsOf(queues);
    }

    private void RingGroupsOf(IReadOnlyCollection<string> queues)
    {
        foreach (var group in _groups.Values)
        {
            if (group.FetchesFromAny(queues))
            {
                group.Ring();
            }
        }
    }

    /// <summary>
    /// Waits on the calling (worker's own) thread until its group is rung, <paramref name="timeout"/>
    /// passes or <paramref name="cancellationToken"/> is cancelled; returns whether it was rung.
    /// </summary>
    public bool Wait(string[] queues, TimeSpan timeout, CancellationToken cancellationToken) =>
        GroupOf(queues).Wait(timeout, cancellationToken);

    private Group GroupOf(string[] queues) => _groups.GetOrAdd(string.Join('\n', queues), static (_, listed) => new Group(listed), queues);

    /// <summary>
    /// One group's waiters. One of them, the poller, waits at most the poll interval; the others wait
    /// for a ring, or at most <see cref="IdleFactor"/> intervals should a hand-over of the poll go
    /// astray. So an idle group queries about once per interval however many workers it has.
    /// </summary>
    private sealed class Group(string[] queues)
    {
        private const int IdleFactor = 10;

        private readonly string[] _queues = [.. queues];

        private readonly object _gate = new();
        private bool _rung;
        private bool _polled;

        public bool FetchesFromAny(IReadOnlyCollection<string> queues) => _queues.Any(queues.Contains);

        public void Ring()
        {
            lock (_gate)
            {
                _rung = true;
                Monitor.Pulse(_gate);
            }
        }

        public bool Wait(TimeSpan pollInterval, CancellationToken cancellationToken)
        {
            using var cancelled = cancellationToken.Register(static state => ((Group)state!).WakeAll(), this);
            var interval = (long)pollInterval.TotalMilliseconds;
            var deadline = Environment.TickCount64 + (interval * IdleFactor);
            var polls = false;
            lock (_gate)
            {
                try
                {
                    while (!_rung)
                    {
                        if (!polls && !_polled)
                        {
                            // The poll's interval counts from when this waiter took it over.
                            polls = _polled = true;
                            deadline = Math.Min(deadline, Environment.TickCount64 + interval);
                        }

                        var left = deadline - Environment.TickCount64;
                        if (left <= 0 || cancellationToken.IsCancellationRequested || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                        {
                            return false;
                        }
                    }

                    _rung = false;
                    return true;
                }
                finally
                {
                    if (polls)
                    {
                        // Another waiter takes the poll over.
                        _polled = false;
                        Monitor.Pulse(_gate);
                    }
                }
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
