using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Recording;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql's write transaction that commits the status changes the state filter hands
/// it (<see cref="IRecordsOnCommit"/>) in the same database transaction as the job's new state:
/// Hangfire.PostgreSql joins the ambient scope <see cref="StatusChangesOnCommit"/> opens (its
/// <c>EnableTransactionScopeEnlistment</c>, on by default), and the row's write opens the pooled
/// connection Hangfire's commands just used. A change of state and its row therefore cost one
/// commit instead of two, and a state Hangfire fails to commit leaves no row behind. A worker's
/// final state change also removes the job from the queue in it (<see cref="TransactionalAckFetchedJob"/>).
/// </summary>
internal sealed class RecordingWriteTransaction(PostgreSqlStorage storage, JobArrivals arrivals)
    : RingingWriteTransaction(storage, arrivals), IRecordsOnCommit
{
    private readonly StatusChangesOnCommit _changes = new();

    public void RecordOnCommit(StatusChangeRecorder recorder, StatusChange change, StatusChangeOrigin origin) =>
        _changes.Add(recorder, change, origin);

    public void CreateOnCommit(StatusChangeRecorder recorder, NewExecution row, Action written) =>
        _changes.AddCreation(recorder, row, written);

    private TransactionalAckFetchedJob? _acknowledged;

    public override void RemoveFromQueue(IFetchedJob fetchedJob)
    {
        if (fetchedJob is not TransactionalAckFetchedJob acknowledged)
        {
            base.RemoveFromQueue(fetchedJob);
            return;
        }

        _acknowledged = acknowledged;
    }

    public override void Commit()
    {
        if (_acknowledged is not { } acknowledged)
        {
            _changes.Commit(base.Commit);
            return;
        }

        // The job's final state, its row and its removal from the queue: one transaction.
        _changes.Commit(
            () =>
            {
                base.Commit();
                acknowledged.RemoveInTransaction();
            },
            inScope: true,
            committed: acknowledged.MarkRemoved);
    }
}
