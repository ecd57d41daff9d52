using System.Runtime.ExceptionServices;
using System.Transactions;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Filters;
using AsyncFunctions.Recording;

namespace AsyncFunctions.Hangfire.Storage;

/// <summary>
/// The status changes a job storage's write transaction commits with its own commands (see
/// <see cref="IRecordsOnCommit"/>). <see cref="Commit"/> opens a <see cref="TransactionScope"/>,
/// lets the job storage commit its commands into it (a storage that enlists in an ambient
/// transaction joins it), writes each change's row, and completes the scope: one database
/// transaction, committed once, when the storage and the results table open their connections
/// from one pool that hands a connection closed inside the scope to the next open in it (Npgsql
/// with <c>Enlist=true</c>). Only then do the observers run, with what each write applied.
/// </summary>
/// <remarks>
/// Hangfire commits from its own threads (workers, the scheduler, job creation threads), which
/// exist to wait; the writes are waited for on that thread so their connections open inside the
/// scope. The scope is a new one: a caller's ambient transaction never takes in a job's state.
/// </remarks>
public sealed class StatusChangesOnCommit
{
    private List<Pending>? _changes;

    /// <summary>Whether any change waits for the commit.</summary>
    public bool IsEmpty => _changes is null or { Count: 0 };

    public void Add(StatusChangeRecorder recorder, StatusChange change, StatusChangeOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(origin);
        (_changes ??= []).Add(new Pending(recorder, change, origin, null, null));
    }

    /// <summary>A new execution's row, inserted in the commit; <paramref name="written"/> runs once it committed.</summary>
    public void AddCreation(StatusChangeRecorder recorder, NewExecution row, Action written)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(written);
        (_changes ??= []).Add(new Pending(recorder, null, null, row, written));
    }

    /// <summary>
    /// Commits <paramref name="commitJobStorage"/>'s commands and the waiting changes' rows in one
    /// transaction, then runs the observers of each change in order. If the commit fails, no row
    /// was written and no observer runs; the exception reaches Hangfire, which makes the state
    /// change again.
    /// </summary>
    /// <param name="commitJobStorage">The job storage's own commit, which joins the ambient transaction.</param>
    /// <param name="inScope">Open the scope even without a waiting change: <paramref name="commitJobStorage"/> has more than one batch to commit together.</param>
    /// <param name="committed">Runs once the transaction committed, before the observers.</param>
    public void Commit(Action commitJobStorage, bool inScope = false, Action? committed = null)
    {
        ArgumentNullException.ThrowIfNull(commitJobStorage);
        if (IsEmpty && !inScope)
        {
            commitJobStorage();
            committed?.Invoke();
            return;
        }

        var changes = _changes ?? [];
        _changes = null;
        var applied = new bool[changes.Count];
        using (var scope = new TransactionScope(
            TransactionScopeOption.RequiresNew,
            new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = TransactionManager.DefaultTimeout }))
        {
            commitJobStorage();
            for (var i = 0; i < changes.Count; i++)
            {
                var pending = changes[i];
                if (pending.Row is { } row)
                {
                    Blocking.Wait(pending.Recorder.CreateAsync(row));
                }
                else
                {
                    applied[i] = Blocking.Wait(pending.Recorder.WriteAsync(pending.Change!));
                }
            }

            scope.Complete();
        }

        committed?.Invoke();

        // Committed: the observers see the row as every other reader now does. Each change's
        // observers run even when an earlier change's threw; the first failure is passed on.
        ExceptionDispatchInfo? failure = null;
        for (var i = 0; i < changes.Count; i++)
        {
            var pending = changes[i];
            try
            {
                if (pending.Written is { } written)
                {
                    written();
                }
                else
                {
                    Blocking.Wait(pending.Recorder.ObserveAsync(new RecordedStatusChange(pending.Change!, pending.Origin!, applied[i])));
                }
            }
#pragma warning disable CA1031 // Every change's observers run; the first failure is thrown after them.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure ??= ExceptionDispatchInfo.Capture(ex);
            }
        }

        failure?.Throw();
    }

    /// <summary>A status change (with its origin) or a new row (with what runs once it committed).</summary>
    private sealed record Pending(StatusChangeRecorder Recorder, StatusChange? Change, StatusChangeOrigin? Origin, NewExecution? Row, Action? Written);
}
