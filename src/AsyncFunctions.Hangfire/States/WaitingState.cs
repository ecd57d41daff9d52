using Hangfire.Common;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A job held by a concurrency limit: no queue, so it holds no worker, and not final, so Hangfire
/// never expires it. The slot release queues it again with
/// <c>ChangeState(id, Enqueued, expectedState: Waiting)</c> once the store handed it its slots.
/// </summary>
public sealed class WaitingState(string waitingFor, DateTimeOffset since) : IState
{
    public const string StateName = "Waiting";

    /// <summary>What it waits for, in words (the limit, its key, how many run and wait ahead).</summary>
    public string WaitingFor { get; } = waitingFor;

    public DateTimeOffset Since { get; } = since;

    public string Name => StateName;

    public string? Reason { get; set; }

    public bool IsFinal => false;

    public bool IgnoreJobLoadException => false;

    public Dictionary<string, string> SerializeData() => new()
    {
        ["WaitingFor"] = WaitingFor,
        ["Since"] = JobHelper.SerializeDateTime(Since.UtcDateTime),
    };
}
