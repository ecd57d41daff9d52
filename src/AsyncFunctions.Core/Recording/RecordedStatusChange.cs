using AsyncFunctions.Executions;

namespace AsyncFunctions.Recording;

/// <summary>A status change as <see cref="StatusChangeRecorder"/> hands it to every <see cref="IStatusChangeObserver"/>: the change, its origin, and whether the store applied it.</summary>
/// <param name="Change">The change the source asked for.</param>
/// <param name="Origin">Who asked and what they knew.</param>
/// <param name="Applied">
/// Whether the store applied it (it superseded the stored status, see <see cref="ExecutionStatusRules"/>).
/// False for a repeat of a change already written, or one that lost to a later status.
/// </param>
public sealed record RecordedStatusChange(StatusChange Change, StatusChangeOrigin Origin, bool Applied)
{
    public string Id => Change.Id;

    public ExecutionStatus Status => Change.Status;

    /// <summary>The execution reached a final status with this write: waiters may wake, parents may resume.</summary>
    public bool Finished => Applied && Change.Status.IsTerminal();

    /// <summary>
    /// The change is a final outcome that must be reported (webhooks): when it was applied, and for
    /// a job's state change also when it was not, because Hangfire makes a state change again
    /// after a crash between our write and its commit, and then finds the record already finished.
    /// Consumers of this flag must tolerate a repeat (the webhook delivery settles each message once).
    /// </summary>
    public bool IsNewOutcome =>
        Change.Status.IsTerminal() && !Origin.LeavesFinishedState && (Applied || Origin.Source == StatusChangeSource.JobState);
}
