namespace AsyncFunctions.Recording;

/// <summary>
/// The <see cref="IStatusChangeObserver.Order"/> of the built-in observers: the order in which a
/// status change's side effects happen after the store write. A new observer picks a value
/// between them (observers with equal values run in registration order).
/// </summary>
public static class StatusChangeOrder
{
    /// <summary>Local waiters (await, long polling, sync callers of await) get the result.</summary>
    public const int Waiters = 100;

    /// <summary>
    /// Concurrency slots the execution held are given back and handed to the oldest waiters, whose
    /// jobs are then queued (after the local waiters, before the resumes: a freed slot is the
    /// cheapest thing to pass on and the most waited for).
    /// </summary>
    public const int FlowSlots = 150;

    /// <summary>Suspended parents waiting for the execution are queued for a resume.</summary>
    public const int Resumes = 200;

    /// <summary>A webhook delivery job is queued for an execution with a callback URL.</summary>
    public const int Webhooks = 300;

    /// <summary>Open event streams re-read the record.</summary>
    public const int EventStreams = 400;

    /// <summary>Metrics: finished, retried, suspended.</summary>
    public const int Telemetry = 500;
}
