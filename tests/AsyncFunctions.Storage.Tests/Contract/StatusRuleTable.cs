using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>
/// The status rule written out by hand, phase by phase, so a store is checked against a table and
/// not against the code it runs (the in-memory store runs <see cref="ExecutionStatusRules.Supersedes"/>
/// itself; comparing it with that would compare the rule with itself).
/// </summary>
internal static class StatusRuleTable
{
    private const int Earlier = 0;
    private const int Same = 1;
    private const int Later = 2;

    // [stored phase, incoming phase] -> applied for an incoming time earlier, the same, later.
    // Phases: pending (Enqueued, Scheduled, Waiting), running (Processing, Awaiting), finished (Succeeded, Failed, Cancelled).
    private static readonly Dictionary<(string Stored, string Incoming), bool[]> Table = new()
    {
        [("pending", "pending")] = [false, false, true],
        [("pending", "running")] = [true, true, true],
        [("pending", "finished")] = [true, true, true],
        [("running", "pending")] = [false, false, true],
        [("running", "running")] = [false, false, true],
        [("running", "finished")] = [true, true, true],
        [("finished", "pending")] = [false, false, true],
        [("finished", "running")] = [false, false, true],
        [("finished", "finished")] = [false, false, false],
    };

    public static bool Expected(ExecutionStatus stored, ExecutionStatus incoming, TimeSpan offset) =>
        Table[(PhaseOf(stored), PhaseOf(incoming))][offset < TimeSpan.Zero ? Earlier : offset == TimeSpan.Zero ? Same : Later];

    private static string PhaseOf(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Enqueued or ExecutionStatus.Scheduled or ExecutionStatus.Waiting => "pending",
        ExecutionStatus.Processing or ExecutionStatus.Awaiting => "running",
        ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled => "finished",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A status the table does not know: add it."),
    };
}
