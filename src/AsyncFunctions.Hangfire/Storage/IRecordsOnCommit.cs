using AsyncFunctions.Executions;
using AsyncFunctions.Recording;

namespace AsyncFunctions.Hangfire.Storage;

/// <summary>
/// A Hangfire write transaction that commits the results table's writes in its own database
/// transaction (PostgreSQL, where jobs and results share a database and a connection pool). The
/// state filter hands it a job's status change, or a new job's row, instead of writing it at
/// once: the row then commits with the job's new state or not at all, and a change's observers
/// run after that commit.
/// </summary>
public interface IRecordsOnCommit
{
    /// <summary>
    /// Writes <paramref name="change"/> through <paramref name="recorder"/> inside this
    /// transaction's commit, then runs the observers once it committed. Rows are written in
    /// the order they were handed over; nothing is written if the transaction is never committed.
    /// </summary>
    void RecordOnCommit(StatusChangeRecorder recorder, StatusChange change, StatusChangeOrigin origin);

    /// <summary>
    /// Inserts a new execution's row through <paramref name="recorder"/> inside this transaction's
    /// commit (a job's creation: its first state and its row commit together), then calls
    /// <paramref name="written"/> once it committed.
    /// </summary>
    void CreateOnCommit(StatusChangeRecorder recorder, NewExecution row, Action written);
}
