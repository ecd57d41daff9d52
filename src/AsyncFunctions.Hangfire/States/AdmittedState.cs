using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A waiting execution queued by the wake-up of admission after the store handed it a slot of
/// every limit (the release that freed them, or the repair sweep): Hangfire's Enqueued, which the
/// admission filter lets through without asking the store again. Only ever applied with
/// <c>expectedState: Waiting</c>, under the job's lock: slots are given back only by a status change
/// of their holder, so a job still Waiting still holds what it was handed.
/// </summary>
public sealed class AdmittedState : EnqueuedState;
