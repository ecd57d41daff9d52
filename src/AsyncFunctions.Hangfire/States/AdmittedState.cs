using Hangfire.Common;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A waiting execution queued by the wake-up of admission after the store handed it a slot of
/// every limit (the release that freed them, or the repair sweep): Hangfire's Enqueued, which the
/// admission filter lets through without asking the store again. Only ever applied with
/// <c>expectedState: Waiting</c>, under the job's lock: slots are given back only by a status change
/// of their holder, so a job still Waiting still holds what it was handed. Its data keeps when the
/// slots were handed over (<c>GrantedAt</c>): the line's order, however long the wake-up took.
/// </summary>
public sealed class AdmittedState : EnqueuedState, IState
{
    /// <summary>When the store handed the slots over (UTC); null when not known.</summary>
    public DateTime? GrantedAt { get; init; }

    public new Dictionary<string, string> SerializeData()
    {
        var data = base.SerializeData();
        if (GrantedAt is { } at)
        {
            data["GrantedAt"] = JobHelper.SerializeDateTime(at);
        }

        return data;
    }
}
