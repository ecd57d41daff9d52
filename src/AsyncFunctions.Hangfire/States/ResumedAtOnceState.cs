using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A run that suspended when what it awaits had already finished (or its deadline had passed)
/// by the time its state changed: it is queued again at once instead of becoming
/// <see cref="SuspendedState"/>, so no resume has to wait for the job's lock. The state filter
/// records it as a suspension and a resume, one microsecond apart.
/// </summary>
public sealed class ResumedAtOnceState : EnqueuedState
{
    public ResumedAtOnceState()
    {
        Reason = "Resumed at once: what it awaited finished while it suspended";
    }

    /// <summary>When the suspension is recorded: just before the resume.</summary>
    public DateTimeOffset SuspendedAt => new DateTimeOffset(DateTime.SpecifyKind(EnqueuedAt, DateTimeKind.Utc)).AddTicks(-10);
}
