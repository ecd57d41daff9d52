using System.Globalization;
using AsyncFunctions.Executions;
using Hangfire.Common;
using Hangfire.States;

namespace AsyncFunctions.Hangfire.States;

/// <summary>
/// A function stack stopped at an await: its state is saved in the results table and the job
/// holds no worker until <see cref="Resuming.SuspensionResumer"/> moves it back to Enqueued
/// (expecting this state, so only one resume wins). A state of its own rather than Hangfire's
/// <c>AwaitingState</c>: that one belongs to continuations, whose filter and dashboard page expect
/// a single parent job and a next state, which a wait on many executions with a deadline is not.
/// Not final, so Hangfire never expires the job while it waits.
/// </summary>
public sealed class SuspendedState(IReadOnlyList<string> waitingFor, DateTimeOffset deadline, DateTimeOffset suspendedAt) : IState
{
    public const string StateName = "Suspended";

    public IReadOnlyList<string> WaitingFor { get; } = waitingFor;

    public DateTimeOffset Deadline { get; } = deadline;

    public DateTimeOffset SuspendedAt { get; } = suspendedAt;

    public string Name => StateName;

    public string? Reason { get; set; }

    public bool IsFinal => false;

    public bool IgnoreJobLoadException => false;

    /// <summary>What the dashboard shows on the job's page; the ids are the awaited jobs.</summary>
    public Dictionary<string, string> SerializeData() => new()
    {
        ["WaitingFor"] = string.Join(",", WaitingFor),
        ["Deadline"] = JobHelper.SerializeDateTime(Deadline.UtcDateTime),
        ["SuspendedAt"] = JobHelper.SerializeDateTime(SuspendedAt.UtcDateTime),
    };

    /// <summary>Reads the awaited ids back from the state data the dashboard shows.</summary>
    public static IReadOnlyList<string> ParseWaitingFor(IDictionary<string, string> data) =>
        data.TryGetValue("WaitingFor", out var ids) && ids.Length > 0 ? ids.Split(',') : [];

    internal static string Describe(Suspension suspension) =>
        string.Create(CultureInfo.InvariantCulture, $"Waiting for {suspension.WaitingFor.Count} execution(s) until {suspension.WakeAt:u} at the latest");
}
