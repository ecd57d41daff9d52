namespace AsyncFunctions.Recording;

/// <summary>
/// What the source of a status change knows beyond the change itself, so observers need not
/// read it back.
/// </summary>
/// <param name="Source">Who made the change.</param>
public sealed record StatusChangeOrigin(StatusChangeSource Source)
{
    /// <summary>Whether the execution has a callback URL; null when the source does not know (the webhook observer then looks it up).</summary>
    public bool? HasCallback { get; init; }

    /// <summary>
    /// The job left a final state for another final one (a delete after success): the change is
    /// no new outcome, so nothing reports it again.
    /// </summary>
    public bool LeavesFinishedState { get; init; }

    /// <summary>When the execution was created, for the duration metric of a finished one; null when unknown.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>
    /// A suspension recorded together with its resume in one state change (the awaited work was
    /// done already): the execution never gave its worker back, so it keeps its concurrency slots.
    /// </summary>
    public bool ResumedAtOnce { get; init; }

    /// <summary>The schedule whose occurrence failed, when the source knows it (only failures carry it).</summary>
    public string? Schedule { get; init; }
}
