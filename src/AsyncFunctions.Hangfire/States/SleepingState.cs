using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A function stack stopped at a long sleep: Hangfire's Scheduled state, so Hangfire's own
/// scheduler queues it again when the sleep ends, on whichever node is up. The state filter
/// records it as <c>Awaiting</c> rather than <c>Scheduled</c>.
/// </summary>
public sealed class SleepingState(DateTime enqueueAt) : ScheduledState(enqueueAt);
