using System.Data.Common;
using Hangfire.PostgreSql;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql's write transaction that, once the jobs it enqueued committed, wakes this
/// node's idle workers of their queues at once (<see cref="JobArrivals.RingAfterCommit"/>), as
/// Hangfire.PostgreSql woke its own fetch in-process. Other nodes learn of the jobs from the
/// enqueue's notification; without <c>EnableLongPolling</c> this is how a node's own enqueues
/// reach its workers before their next poll.
/// </summary>
internal class RingingWriteTransaction(PostgreSqlStorage storage, JobArrivals arrivals)
    : PostgreSqlWriteOnlyTransaction(storage, NoDedicatedConnection)
{
    // A set: a fan-out enqueues many jobs to one queue in one transaction, and each group is rung once.
    private HashSet<string>? _queues;

    public override void AddToQueue(string queue, string jobId)
    {
        base.AddToQueue(queue, jobId);
        (_queues ??= new HashSet<string>(StringComparer.Ordinal)).Add(queue);
    }

    public override void Commit()
    {
        base.Commit();
        if (_queues is { } queues)
        {
            _queues = null;
            arrivals.RingAfterCommit(queues);
        }
    }

    // Hangfire.PostgreSql's own connections pass no dedicated connection either: each command
    // batch takes one from the factory.
    private static DbConnection NoDedicatedConnection() => null!;
}
