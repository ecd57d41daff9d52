using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Storage;
using AsyncFunctions.Recording;
using Hangfire.PostgreSql;

namespace AsyncFunctions.PostgreSql;

/// <summary>
/// Hangfire.PostgreSql's write transaction that commits the status changes the state filter hands
/// it (<see cref="IRecordsOnCommit"/>) in the same database transaction as the job's new state:
/// Hangfire.PostgreSql joins the ambient scope <see cref="StatusChangesOnCommit"/> opens (its
/// <c>EnableTransactionScopeEnlistment</c>, on by default), and the row's write opens the pooled
/// connection Hangfire's commands just used. A change of state and its row therefore cost one
/// commit instead of two, and a state Hangfire fails to commit leaves no row behind.
/// </summary>
internal sealed class RecordingWriteTransaction(PostgreSqlStorage storage)
    : PostgreSqlWriteOnlyTransaction(storage, NoDedicatedConnection), IRecordsOnCommit
{
    private readonly StatusChangesOnCommit _changes = new();

    public void RecordOnCommit(StatusChangeRecorder recorder, StatusChange change, StatusChangeOrigin origin) =>
        _changes.Add(recorder, change, origin);

    public override void Commit() => _changes.Commit(base.Commit);

    // Hangfire.PostgreSql's own connections pass no dedicated connection either: each command
    // batch takes one from the factory.
    private static System.Data.Common.DbConnection NoDedicatedConnection() => null!;
}
